-- Claims every pending entry of group ARGV[1] on stream KEYS[1] for consumer ARGV[2] (XAUTOCLAIM, min idle ARGV[3] ms),
-- so a task taken over from a dead consumer reprocesses what that consumer read but never acknowledged.
-- XAUTOCLAIM drops from the PEL the entries that were deleted from the stream meanwhile (trimmed); their ids are
-- returned so the caller can dead-letter them instead of losing them silently.
-- Returns { number claimed, deleted id 1, deleted id 2, ... }.
local cursor = '0-0'
local total = 0
local result = { 0 }
repeat
  local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], cursor, 'COUNT', 1000, 'JUSTID')
  cursor = r[1]
  total = total + #r[2]
  if r[3] then
    for _, id in ipairs(r[3]) do
      result[#result + 1] = id
    end
  end
until cursor == '0-0'
result[1] = total
return result
