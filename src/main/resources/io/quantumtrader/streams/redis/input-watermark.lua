-- Reads one input of an aligned task (DESIGN §2 "Event time across inputs"), all keys in the partition's slot:
-- returns { id of the last entry of stream KEYS[2] ('0-0' when none), n, producer1, watermark1, ... (n values from the
-- watermark hash KEYS[1]), producer1, mark1, ... (the hold-marks hash KEYS[3]: '0', or a heartbeat while the producer
-- holds records back) }.
-- A watermark read here covers what the stream held at that moment, so the consumer applies it only once it has read
-- up to that last entry (a producer writes its outputs before, or atomically with, its watermark).
local last = '0-0'
local tail = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #tail > 0 then
  last = tail[1][1]
end
local watermarks = redis.call('HGETALL', KEYS[1])
local out = { last, tostring(#watermarks) }
for _, v in ipairs(watermarks) do
  out[#out + 1] = v
end
for _, v in ipairs(redis.call('HGETALL', KEYS[3])) do
  out[#out + 1] = v
end
return out
