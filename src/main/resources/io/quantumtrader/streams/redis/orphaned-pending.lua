-- Counts entries of group ARGV[1] on stream KEYS[1] pending at least ARGV[2] ms for a consumer other than ARGV[3]
-- (the task's owner): entries nobody will process unless the owner claims them. Asks per consumer (the summary form
-- of XPENDING names each consumer holding entries), at most 100 entries counted per consumer: before 2026-12-06 it
-- looked at the oldest 100 entries of the group only, so 100 old entries of the owner's own hid every orphaned one
-- after them.
-- returns that count (0 when the stream or group does not exist)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local ok, summary = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1])
if not ok or not summary[4] then
  return 0
end
local n = 0
for _, c in ipairs(summary[4]) do
  if c[1] ~= ARGV[3] then
    n = n + #redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[2], '-', '+', 100, c[1])
  end
end
return n
