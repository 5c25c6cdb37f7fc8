#!lua flags=allow-oom
-- First step of a fenced read (FencedReadConnection): MULTI, this script, XREADGROUP, read-fence-end.lua, EXEC.
-- Plain XREADGROUP replies go straight to the client (a read through one Lua script cost 2.6x the XREADGROUP itself:
-- every reply string converted into Lua and back), so instead of preventing a read under a lost lease, the
-- transaction undoes it before anything else can run: this script notes, only when KEYS[1] (the task's lease) does
-- not hold the caller's token, each stream's consumer-group position before the read; read-fence-end.lua rewinds to it.
-- KEYS[1] lease, KEYS[2] a scratch hash of the task (deleted again by read-fence-end.lua), KEYS[3..] stream keys;
-- ARGV[1] token, ARGV[2] group
-- returns 1 when the lease is the caller's (nothing noted), 0 when not
-- allow-oom: the read goes on under maxmemory as XREADGROUP itself does, so the undo must be able to run too
--#include consumer-groups.lib.lua
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return 1
end
redis.call('DEL', KEYS[2])
for k = 3, #KEYS do
  local ok, g = pcall(cg_group, KEYS[k], ARGV[2]) -- a stream deleted meanwhile: nothing to note
  if ok and g then
    local read = g['entries-read']
    redis.call('HSET', KEYS[2], KEYS[k], g['last-delivered-id'] .. ' ' .. (type(read) == 'number' and tostring(read) or ''))
  end
end
return 0
