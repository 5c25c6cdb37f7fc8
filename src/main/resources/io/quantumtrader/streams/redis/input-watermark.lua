-- Reads one input of an aligned task (DESIGN §2 "Event time across inputs"), both keys in the partition's slot:
-- returns { id of the last entry of stream KEYS[2] ('0-0' when none), producer1, watermark1, producer2, ... } (hash KEYS[1]).
-- A watermark read here covers what the stream held at that moment, so the consumer applies it only once it has read
-- up to that last entry (a producer writes its outputs before, or atomically with, its watermark).
local last = '0-0'
local tail = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #tail > 0 then
  last = tail[1][1]
end
local out = { last }
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do
  out[#out + 1] = v
end
return out
