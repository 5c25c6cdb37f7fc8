#!lua flags=allow-oom
-- Second step of a fenced read (FencedReadConnection): MULTI, read-fence-begin.lua, this script, XREADGROUP,
-- read-fence-end.lua, EXEC. Reports the entries deleted before the group read them (deleted-unread.lib.lua) in the
-- same transaction as the read that would go past them, so the report and the read happen together or not at all.
-- Only while KEYS[1] (the task's lease) holds the caller's token: a read under a lost lease is undone, and its owner
-- looks again.
-- KEYS[1] lease, then n stream keys, their n deleted-unread hashes, their n dead-letter stream keys
-- ARGV[1] token, ARGV[2] group, ARGV[3] task id, ARGV[4] partition, ARGV[5..] the n streams' logical names
-- returns the group's totals of entries deleted unread, two numbers per stream (deleted-unread.lib.lua)
-- allow-oom: the read goes on under maxmemory as XREADGROUP itself does; the report is one small entry
--#include deleted-unread.lib.lua
local keys, marks, dlqs, names = du_streams(4)
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return du_totals(marks, ARGV[2])
end
return deleted_unread(keys, marks, dlqs, names, ARGV[2], ARGV[3], ARGV[4])
