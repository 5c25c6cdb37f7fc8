-- Returns { type, length, group1, group2, ... } of KEYS[1]: the key's type ('stream', 'none' when it does not exist,
-- or the other type it holds), the stream's entry count and the names of its consumer groups. A key that is not a
-- stream has length 0 and no group (XLEN and XINFO GROUPS would fail with a bare WRONGTYPE: callers name it instead).
--#include consumer-groups.lib.lua
local t = redis.call('TYPE', KEYS[1])['ok']
if t ~= 'stream' then
  return { t, 0 }
end
local out = { t, redis.call('XLEN', KEYS[1]) }
for _, g in ipairs(cg_groups(KEYS[1])) do
  out[#out + 1] = g['name']
end
return out
