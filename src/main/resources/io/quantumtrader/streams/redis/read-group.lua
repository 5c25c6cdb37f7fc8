-- A fenced XREADGROUP (no BLOCK): reads only while KEYS[1] (the task's lease) holds the caller's fencing token, so an
-- instance that lost its lease (a paused "zombie") cannot take entries away from the new owner's consumer; entries
-- it read before it was fenced stay pending and are claimed by the new owner (XAUTOCLAIM), in order. Before reading,
-- reports the entries deleted before the group read them (deleted-unread.lib.lua), in the same script as the read
-- that would go past them.
-- A read of new entries ('>') is not made when the consumer already holds an entry after the last one the reader saw
-- of that stream (pending-after.lib.lua): Redis ran an earlier read whose reply the client lost, and Lettuce sent it
-- again; the reader re-reads its pending entries after what it saw instead (PartitionReader).
-- KEYS[1] lease, then n stream keys, their n deleted-unread hashes, their n dead-letter stream keys;
-- ARGV[1] token, ARGV[2] group, ARGV[3] consumer, ARGV[4] COUNT, then n ids, one per stream ('>' for new entries, an
-- id to re-read the consumer's pending entries after it), then n ids, one per stream, the last the reader saw ('-'
-- when none), then the task id, the partition, the n streams' names, then optionally two numbers per stream, the
-- totals the reader has counted ('' when it counts nothing: du_note_counted)
-- returns { the group's totals of entries deleted unread (two numbers per stream, deleted-unread.lib.lua),
-- XREADGROUP's reply or nil when nothing was read, 1 when nothing was read because the consumer holds entries after the
-- ones the reader saw (else 0) }
--#include deleted-unread.lib.lua
--#include pending-after.lib.lua
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease ' .. KEYS[1] .. ' is no longer held by token ' .. ARGV[1])
end
local n = (#KEYS - 1) / 3
local keys, marks, dlqs, names = du_streams(6 + 2 * n, 1)
du_note_counted(marks, ARGV[2], 7 + 3 * n)
local args = { 'XREADGROUP', 'GROUP', ARGV[2], ARGV[3], 'COUNT', ARGV[4], 'STREAMS' }
for i = 1, n do
  args[#args + 1] = keys[i]
end
for i = 1, n do
  if ARGV[4 + i] == '>' and pending_after(keys[i], ARGV[2], ARGV[3], ARGV[4 + n + i]) then
    return { du_totals(marks, ARGV[2]), false, 1 }
  end
  args[#args + 1] = ARGV[4 + i]
end
local deleted = deleted_unread(keys, marks, dlqs, names, ARGV[2], ARGV[5 + 2 * n], ARGV[6 + 2 * n])
-- the reply as XREADGROUP gives it ({ { key, { { id, { field, value, ... } | false }, ... } }, ... }, or nil when
-- nothing was read): no per-entry Lua work, the reader parses it
return { deleted, redis.call(unpack(args)), 0 }
