-- Returns { length, group1, group2, ... } of stream KEYS[1]: its entry count and the names of its consumer groups.
-- { 0 } when the stream does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 0 }
end
local out = { redis.call('XLEN', KEYS[1]) }
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  for i = 1, #g, 2 do
    if g[i] == 'name' then out[#out + 1] = g[i + 1] end
  end
end
return out
