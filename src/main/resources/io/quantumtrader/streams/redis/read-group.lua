-- A fenced XREADGROUP (no BLOCK): reads only while KEYS[1] (the task's lease) holds the caller's fencing token, so an
-- instance that lost its lease (a paused "zombie") cannot take entries away from the new owner's consumer; entries
-- it read before it was fenced stay pending and are claimed by the new owner (XAUTOCLAIM), in order.
-- KEYS[1] lease, KEYS[2..] stream keys; ARGV[1] token, ARGV[2] group, ARGV[3] consumer, ARGV[4] COUNT,
-- ARGV[5..] one id per stream ('>' for new entries, an id to re-read the consumer's pending entries after it)
-- returns XREADGROUP's reply
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease ' .. KEYS[1] .. ' is no longer held by token ' .. ARGV[1])
end
local args = { 'XREADGROUP', 'GROUP', ARGV[2], ARGV[3], 'COUNT', ARGV[4], 'STREAMS' }
for i = 2, #KEYS do
  args[#args + 1] = KEYS[i]
end
for i = 5, #ARGV do
  args[#args + 1] = ARGV[i]
end
-- the reply as XREADGROUP gives it ({ { key, { { id, { field, value, ... } | false }, ... } }, ... }, or nil when
-- nothing was read): no per-entry Lua work, the reader parses it
return redis.call(unpack(args))
