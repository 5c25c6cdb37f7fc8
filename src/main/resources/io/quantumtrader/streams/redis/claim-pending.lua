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
-- A claim is made once per fencing token (a task run): its outcome is kept in the stream's deleted-unread hash
-- (KEYS[4], field '#claim:<group>'), and the same claim sent again (Lettuce re-sends a command whose reply was lost
-- with its connection) returns it instead of claiming again, so the dead letters it wrote are counted once.
-- A claim under a new token carries the dead letters of the group's last claim when its caller did not confirm
-- having counted them ('#claim-counted:<group>' is '' after a claim; claim-counted.lua sets it to the claim's token
-- once the task counted them): a claim whose reply timed out (the task restarts under a new token) or that stopped short before a restart
-- wrote dead letters nobody counted; the next claim adds them to its own, so they are counted then (before
-- 2026-12-06 they stayed uncounted; found in review, ClaimReplyTimeoutTest).
-- A claim walks at most ARGV[8] pending entries per call (about 2 us each: a pending list of millions held Redis
-- for seconds in one script, and a client timeout restarted the task into the same claim for ever; found in review,
-- 2026-12-05): a call that stops short keeps '<token> <claimed> <dead-lettered> <cursor>' and the caller calls again
-- under the same token until the claim is done. A call sent again after its reply was lost goes on from where the
-- last one stopped, so the totals stay exact.
-- KEYS[1] stream, KEYS[2] the task's lease, KEYS[3] dead-letter stream, KEYS[4] the stream's deleted-unread hash;
-- ARGV[1] group, ARGV[2] consumer, ARGV[3] min idle ms, ARGV[4] token, ARGV[5] the stream's logical name,
-- ARGV[6] partition, ARGV[7] task id, ARGV[8] most pending entries to walk in this call (a multiple of 1,000)
-- returns { number claimed, number dead-lettered (both so far under this token; the dead letters with those carried
--           from an earlier claim not confirmed counted), the group's last-delivered-id
--           ('0-0' when none), the id of the group's newest pending entry ('' when none),
--           the group's totals of entries deleted unread its readers counted (du_note_counted; else so far): entries,
--           reports of an unknown number (deleted-unread.lib.lua), where the task's reader starts counting; 1 when the
--           claim is done, 0 when the
--           caller must call again }
-- errors  FENCED when the lease is not the caller's (nothing claimed); REJECTED when entries are pending and the
--         dead-letter stream cannot take entries (another type, or its entry ids used up: entry-ids.lib.lua; nothing
--         claimed)
--#include deleted-unread.lib.lua
local owner = redis.call('GET', KEYS[2])
if owner ~= ARGV[4] then
  return redis.error_reply('FENCED lease ' .. KEYS[2] .. ' is held by token ' .. tostring(owner) .. ', not ' .. ARGV[4])
end
local function outcome(claimed, deleted, done)
  local group = cg_group(KEYS[1], ARGV[1])
  local last = group and group['last-delivered-id'] or '0-0'
  local summary = redis.call('XPENDING', KEYS[1], ARGV[1])
  local newest = summary[3] or ''
  local totals = du_totals({ KEYS[4] }, ARGV[1])
  -- where the group's readers last said they had counted, when they did (du_note_counted): the next run counts the
  -- rest, a loss found by a read whose reply nobody counted included (a restart after a read timeout counted it never)
  local noted = redis.call('HMGET', KEYS[4], '#counted-entries:' .. ARGV[1], '#counted-unknown:' .. ARGV[1])
  local e, u = tonumber(noted[1]), tonumber(noted[2])
  if e and u and e <= totals[1] and u <= totals[2] then
    totals = { e, u }
  end
  return { claimed, deleted, last, newest, totals[1], totals[2], done }
end
local cursor = '0-0'
local claimed = 0
local deleted = 0
local made = redis.call('HGET', KEYS[4], '#claim:' .. ARGV[1])
if made then
  -- done: '<token> <claimed> <dead-lettered>'; stopped short: the same and '<cursor>'. A token is '<n>:<nonce>'
  -- (acquire-lease.lua), never with a space
  local token, claimedBefore, deletedBefore, rest = string.match(made, '^(%S+) (%d+) (%d+)(.*)$')
  if token == ARGV[4] then
    if rest == '' then
      return outcome(tonumber(claimedBefore), tonumber(deletedBefore), 1)
    end
    cursor = string.sub(rest, 2)
    claimed = tonumber(claimedBefore)
    deleted = tonumber(deletedBefore)
  else
    -- '' (or another token): an earlier run's dead letters not confirmed counted, counted with this claim. Absent: a
    -- claim made before confirmations existed (its task counted it on its reply, if the reply came)
    local counted = redis.call('HGET', KEYS[4], '#claim-counted:' .. ARGV[1])
    if token and counted and counted ~= token then
      deleted = tonumber(deletedBefore)
    end
  end
end
-- the dead-letter stream must be able to take entries before XAUTOCLAIM takes deleted entries out of the PEL: a
-- dead letter that failed then (XADD * on a stream whose entry ids are used up) lost them unrecorded. Checked only
-- while entries are pending (with none, there is nothing to dead-letter)
local t = redis.call('XPENDING', KEYS[1], ARGV[1])[1] > 0 and redis.call('TYPE', KEYS[3])['ok'] or 'none'
if t == 'stream' then
  local problem = entry_id_stream_exhausted(KEYS[3])
  if problem then return redis.error_reply(problem) end
elseif t ~= 'none' then
  return redis.error_reply('REJECTED key ' .. KEYS[3] .. ' holds a ' .. t .. ', expected a stream (was it written by something else?)')
end
local budget = tonumber(ARGV[8])
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
  budget = budget - 1000
until cursor == '0-0' or budget <= 0
-- not confirmed counted yet (claim-counted.lua sets the token once the task counted them)
redis.call('HSET', KEYS[4], '#claim-counted:' .. ARGV[1], '')
if cursor ~= '0-0' then
  redis.call('HSET', KEYS[4], '#claim:' .. ARGV[1], ARGV[4] .. ' ' .. claimed .. ' ' .. deleted .. ' ' .. cursor)
  return outcome(claimed, deleted, 0)
end
redis.call('HSET', KEYS[4], '#claim:' .. ARGV[1], ARGV[4] .. ' ' .. claimed .. ' ' .. deleted)
return outcome(claimed, deleted, 1)
