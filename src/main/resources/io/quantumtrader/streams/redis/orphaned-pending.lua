-- Counts entries of group ARGV[1] on stream KEYS[1] pending at least ARGV[2] ms for a consumer other than ARGV[3]
-- (the task's owner): entries nobody will process unless the owner claims them. Looks at the oldest 100.
-- returns that count (0 when the stream or group does not exist)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local ok, r = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[2], '-', '+', 100)
if not ok then
  return 0
end
local n = 0
for _, e in ipairs(r) do
  if e[2] ~= ARGV[3] then
    n = n + 1
  end
end
return n
