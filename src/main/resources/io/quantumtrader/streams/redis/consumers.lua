-- Lists the consumers of group ARGV[1] on stream KEYS[1] as a flat array: name, pending, idle ms, ...
-- Empty when the stream or the group does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if not ok then
  return {}
end
local out = {}
for _, c in ipairs(consumers) do
  local f = {}
  for i = 1, #c, 2 do
    f[c[i]] = c[i + 1]
  end
  out[#out + 1] = f['name']
  out[#out + 1] = f['pending']
  out[#out + 1] = f['idle']
end
return out
