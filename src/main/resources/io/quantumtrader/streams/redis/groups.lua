-- Returns { length, group1, group2, ... } of stream KEYS[1]: its entry count and the names of its consumer groups.
-- { 0 } when the stream does not exist.
--#include consumer-groups.lib.lua
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 0 }
end
local out = { redis.call('XLEN', KEYS[1]) }
for _, g in ipairs(cg_groups(KEYS[1])) do
  out[#out + 1] = g['name']
end
return out
