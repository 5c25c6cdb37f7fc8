-- A fenced XREADGROUP (no BLOCK): reads only while KEYS[1] (the task's lease) holds the caller's fencing token, so an
-- instance that lost its lease (a paused "zombie") cannot take entries away from the new owner's consumer; entries
-- it read before it was fenced stay pending and are claimed by the new owner (XAUTOCLAIM), in order. Before reading,
-- reports the entries deleted before the group read them (deleted-unread.lib.lua), in the same script as the read
-- that would go past them.
-- KEYS[1] lease, then n stream keys, their n deleted-unread hashes, their n dead-letter stream keys;
-- ARGV[1] token, ARGV[2] group, ARGV[3] consumer, ARGV[4] COUNT, then n ids, one per stream ('>' for new entries, an
-- id to re-read the consumer's pending entries after it), then the task id, the partition, the n streams' names
-- returns { deleted-unread counts (one per stream), XREADGROUP's reply or nil when nothing was read }
--#include deleted-unread.lib.lua
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease ' .. KEYS[1] .. ' is no longer held by token ' .. ARGV[1])
end
local n = (#KEYS - 1) / 3
local keys, marks, dlqs, names = du_streams(6 + n)
local args = { 'XREADGROUP', 'GROUP', ARGV[2], ARGV[3], 'COUNT', ARGV[4], 'STREAMS' }
for i = 1, n do
  args[#args + 1] = keys[i]
end
for i = 1, n do
  args[#args + 1] = ARGV[4 + i]
end
local deleted = deleted_unread(keys, marks, dlqs, names, ARGV[2], ARGV[5 + n], ARGV[6 + n])
-- the reply as XREADGROUP gives it ({ { key, { { id, { field, value, ... } | false }, ... } }, ... }, or nil when
-- nothing was read): no per-entry Lua work, the reader parses it
return { deleted, redis.call(unpack(args)) }
