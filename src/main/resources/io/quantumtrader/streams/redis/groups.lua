-- Returns { type, length, n, group1, ..., groupn, reader1, ..., readern } of KEYS[1]: the key's type ('stream', 'none'
-- when it does not exist, or the other type it holds), the stream's entry count, the number and names of its consumer
-- groups, then the source node each group was made for as recorded in KEYS[2], the stream partition's group-readers
-- hash (create-group.lua; '' when none is recorded, or when KEYS[2] is not given). A key that is not a stream has
-- length 0 and no group (XLEN and XINFO GROUPS would fail with a bare WRONGTYPE: callers name it instead).
--#include consumer-groups.lib.lua
local t = redis.call('TYPE', KEYS[1])['ok']
if t ~= 'stream' then
  return { t, 0, 0 }
end
local groups = cg_groups(KEYS[1])
local out = { t, redis.call('XLEN', KEYS[1]), #groups }
for _, g in ipairs(groups) do
  out[#out + 1] = g['name']
end
for _, g in ipairs(groups) do
  local reader = KEYS[2] and redis.call('HGET', KEYS[2], g['name'])
  out[#out + 1] = reader or ''
end
return out
