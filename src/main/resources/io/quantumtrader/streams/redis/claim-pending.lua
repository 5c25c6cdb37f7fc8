-- Claims every pending entry of group ARGV[1] on stream KEYS[1] for consumer ARGV[2] (XAUTOCLAIM, min idle ARGV[3] ms),
-- so a task taken over from a dead consumer reprocesses what that consumer read but never acknowledged.
-- Returns the number of entries claimed.
local cursor = '0-0'
local total = 0
repeat
  local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], cursor, 'COUNT', 1000, 'JUSTID')
  cursor = r[1]
  total = total + #r[2]
until cursor == '0-0'
return total
