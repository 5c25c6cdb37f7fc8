-- Membership of the instances sharing a namespace (DESIGN §2 "Assignment"): KEYS[1] is a sorted set of
-- instance id -> epoch ms (Redis clock) until which the instance is live.
-- ARGV[1] instance id to (re)register ('' = only read), ARGV[2] TTL ms.
-- Members whose expiry has passed are removed by whoever notices (any caller).
-- returns { now ms, number live, live id 1 .. n (sorted), removed id 1 .. }
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[1] ~= '' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
end
local live = redis.call('ZRANGE', KEYS[1], 0, -1)
table.sort(live)
local out = { now, #live }
for _, id in ipairs(live) do
  out[#out + 1] = id
end
for _, id in ipairs(expired) do
  out[#out + 1] = id
end
return out
