#!lua flags=allow-oom
-- Second step of a fenced read (FencedReadConnection): MULTI, read-fence-begin.lua, this script, XREADGROUP,
-- read-fence-end.lua, EXEC. Reports the entries deleted before the group read them (deleted-unread.lib.lua) in the
-- same transaction as the read that would go past them, so the report and the read happen together or not at all.
-- Only while KEYS[1] (the task's lease) holds the caller's token: a read under a lost lease is undone, and its owner
-- looks again.
-- A report refused (REJECTED: a dead-letter stream that cannot take entries, deleted-unread.lib.lua) writes nothing,
-- and the read after it must not go past the loss either (it would never be found again): the group's position of
-- each stream is noted in KEYS[2], the task's scratch hash, as read-fence-begin.lua notes it, with a field '#refused',
-- and read-fence-end.lua undoes the read (found in review, 2026-12-06: ExhaustedStreamIdsTest).
-- KEYS[1] lease, KEYS[2] the task's scratch hash (StreamKeys.fencedRead), then n stream keys, their n deleted-unread
-- hashes, their n dead-letter stream keys
-- ARGV[1] token, ARGV[2] group, ARGV[3] task id, ARGV[4] partition, ARGV[5..4+n] the n streams' logical names, then
-- optionally two numbers per stream, the totals the reader has counted ('' when it counts nothing: du_note_counted)
-- returns the group's totals of entries deleted unread, two numbers per stream (deleted-unread.lib.lua)
-- errors  REJECTED as deleted_unread raises it (nothing reported; the read is undone)
-- allow-oom: the read goes on under maxmemory as XREADGROUP itself does; the report is one small entry
--#include deleted-unread.lib.lua
local keys, marks, dlqs, names = du_streams(4, 2)
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return du_totals(marks, ARGV[2])
end
du_note_counted(marks, ARGV[2], 5 + #keys)
local ok, result = pcall(deleted_unread, keys, marks, dlqs, names, ARGV[2], ARGV[3], ARGV[4])
if ok then
  return result
end
local message = type(result) == 'table' and result['err'] or tostring(result)
if string.find(message, 'REJECTED', 1, true) then
  redis.call('DEL', KEYS[2])
  for _, key in ipairs(keys) do
    local found, g = pcall(cg_group, key, ARGV[2])
    if found and g then
      local read = g['entries-read']
      redis.call('HSET', KEYS[2], key, g['last-delivered-id'] .. ' ' .. (type(read) == 'number' and tostring(read) or ''))
    end
  end
  redis.call('HSET', KEYS[2], '#refused', '1')
end
return redis.error_reply(message)
