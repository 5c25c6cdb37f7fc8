#!lua
-- Claims every pending entry of group ARGV[1] on stream KEYS[1] for consumer ARGV[2] (XAUTOCLAIM, min idle ARGV[3] ms),
-- so a task taken over from a dead consumer reprocesses what that consumer read but never acknowledged, and tells the
-- task where the group stands (its input alignment resumes from it).
-- Only under the task's lease (KEYS[2] must hold the caller's token ARGV[4]): a paused former owner whose late claim
-- ran after a new owner's would take the new owner's pending entries away from it (they would come back only through
-- the orphaned-pending safety net, after newer entries of their keys).
-- XAUTOCLAIM drops from the PEL the entries that were deleted from the stream meanwhile (trimmed); each is
-- dead-lettered here, in the same script (KEYS[3], the stream's dead-letter stream, same slot), so a crash between the
-- claim and the dead letter cannot lose the only record of it. The '#!lua' line without 'allow-oom' makes Redis refuse
-- the whole script under maxmemory + noeviction rather than claim and then fail to dead-letter.
-- KEYS[1] stream, KEYS[2] the task's lease, KEYS[3] dead-letter stream;
-- ARGV[1] group, ARGV[2] consumer, ARGV[3] min idle ms, ARGV[4] token, ARGV[5] the stream's logical name,
-- ARGV[6] partition, ARGV[7] task id
-- returns { number claimed, number dead-lettered, the group's last-delivered-id ('0-0' when none),
--           the id of the group's newest pending entry after the claim ('' when none) }
-- errors  FENCED when the lease is not the caller's (nothing claimed)
--#include consumer-groups.lib.lua
local owner = redis.call('GET', KEYS[2])
if owner ~= ARGV[4] then
  return redis.error_reply('FENCED lease ' .. KEYS[2] .. ' is held by token ' .. tostring(owner) .. ', not ' .. ARGV[4])
end
local cursor = '0-0'
local claimed = 0
local deleted = 0
repeat
  local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], cursor, 'COUNT', 1000, 'JUSTID')
  cursor = r[1]
  claimed = claimed + #r[2]
  if r[3] then
    for _, id in ipairs(r[3]) do
      redis.call('XADD', KEYS[3], '*',
          'error.class', 'EntryDeletedBeforeProcessing',
          'error.message', 'pending entry was deleted from the stream (trimmed?) before it was processed',
          'error.reason', 'deleted_before_processing',
          'error.stage', ARGV[1],
          'error.stream', ARGV[5],
          'error.partition', ARGV[6],
          'error.source_id', id,
          'error.attempt', '0',
          'error.task', ARGV[7])
      deleted = deleted + 1
    end
  end
until cursor == '0-0'
local group = cg_group(KEYS[1], ARGV[1])
local last = group and group['last-delivered-id'] or '0-0'
local summary = redis.call('XPENDING', KEYS[1], ARGV[1])
local newest = summary[3] or ''
return { claimed, deleted, last, newest }
