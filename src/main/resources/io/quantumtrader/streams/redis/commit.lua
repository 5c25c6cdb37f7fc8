-- Commits one task batch atomically (DESIGN §2 commit protocol):
--   (0) a commit this task run already made, sent again (below): answered from the meta hash, nothing written;
--   (1) fencing check, (2) commit-sequence check, (3) every other check that can fail: key types, output streams
--   whose entry ids are used up (XADD * would fail: entry-ids.lib.lua), consumer groups, then, and only then, the writes: (4) state (HSET/HDEL), (5) outputs (XADD, MAXLEN ~), (6) the batch's input
--   event ids into the task's dedupe log (one element for the whole batch), (7) acknowledgements (XACK), (8) the
--   commit sequence.
-- Redis does not roll back a script that fails halfway, so nothing may fail after the first write: every check is
-- made before it, and the script is declared with a shebang without 'allow-oom', so under maxmemory + noeviction
-- Redis refuses it before it runs (Redis 7 script flags). A crash before this script re-processes the batch, a
-- crash after it finds the inputs acknowledged, the outputs present and the event ids in the dedupe log, so no
-- effect is lost or duplicated.
--
-- Commits of a task are pipelined (the next batch is processed while this one is in flight), so each commit also
-- checks that it follows the previous one: a commit whose predecessor failed fails too, and the task restarts from
-- what Redis holds. A commit Redis ran whose reply was lost (its connection dropped) is sent again by Lettuce: that run
-- finds its own commit already made and returns what the first run acknowledged, writing nothing (before, it failed
-- OUT_OF_SEQUENCE: the task restarted, and the landed commit was never counted). The meta hash keeps, for each of the
-- last 8 commits, the run that made it and what it acknowledged ('commit-run.<seq mod 8>', 'commit-acked.<seq mod
-- 8>'; a task keeps at most 2 in flight, StreamTask.MAX_COMMITS_IN_FLIGHT, and a lost connection re-sends all of
-- them). A run whose commit failed without knowing whether it landed (a connection lost on a Redis Cluster, whose
-- client fails such commands instead of re-sending them) counts it at its next start from the same fields.
--
-- KEYS[1]  lease key of the task; KEYS[2] the task's meta hash (fields 'commit-seq', 'commit-run.<seq mod 8>',
--          'commit-acked.<seq mod 8>', 'dedupe-ids', 'acked.<input stream key>': the id up to which every entry of that
--          input is committed (below its oldest pending entry, at most its group's last delivered), after the latest
--          commit that acknowledged entries of it, 'fields.<hash key>': the fields of a state store hash this
--          task's commits write, after the latest that wrote it, 'fields-lost.<hash key>': a count found below it); KEYS[3]
--          the task's
--          dedupe log (a list, one element per commit: '<newest arrival ms> <count>\n' then '<length>:<id>\n' per
--          id, DedupeLog.java; 'dedupe-ids' in the meta hash counts the ids it holds);
-- KEYS[4..] the batch's keys, referenced below by index k meaning KEYS[k + 3]
-- ARGV[1]  fencing token the caller holds; ARGV[2] consumer group; ARGV[3] the commit-seq this commit follows;
-- ARGV[4]  a commit's ids leave the dedupe log once its newest arrival is older than this (ms; '' = keep);
-- ARGV[5]  the log keeps at least this many of the newest ids, dropping whole commits beyond them (0 = no limit)
-- ARGV[6]  an id of the task's run making the commit (unique per run; within a run each commit-seq is made once)
-- then     nRuns,  nRuns  x { keyIndex, op ('S' set | 'D' delete), n, n x { field, value } or n x field }
--          nRuns,  nRuns  x { keyIndex, maxlen ('0' = none), nOut, nNames, names, nOut x values } (append_outputs)
--          nAck,   nAck   x { keyIndex, nIds, id1, id2, ... }
--          nSeen,  and when nSeen > 0 the batch's element of the dedupe log (nSeen ids)
-- returns  the number of entries acknowledged (entries that were pending); for a commit already made by this run and
--          sequence (run again after its reply was lost), the number its first run acknowledged
-- errors   FENCED, OUT_OF_SEQUENCE (transient: the task restarts); REJECTED (a check failed: nothing was written)
--#include consumer-groups.lib.lua
--#include entry-ids.lib.lua
local OFFSET = 3
local ACKED_KEPT = 8
local seq = redis.call('HGET', KEYS[2], 'commit-seq') or '0'
if seq ~= ARGV[3] then
  -- before the lease check: a commit made, then sent again after the lease moved, was made (it writes nothing now)
  local made = tonumber(ARGV[3]) + 1 -- the sequence of the commit sent
  local last = tonumber(seq)
  if last >= made and last - made < ACKED_KEPT
      and redis.call('HGET', KEYS[2], 'commit-run.' .. (made % ACKED_KEPT)) == ARGV[6] then
    return tonumber(redis.call('HGET', KEYS[2], 'commit-acked.' .. (made % ACKED_KEPT)) or '0') -- made, sent again
  end
end
local owner = redis.call('GET', KEYS[1])
if owner ~= ARGV[1] then
  return redis.error_reply('FENCED lease ' .. KEYS[1] .. ' is held by token ' .. tostring(owner) .. ', not ' .. ARGV[1])
end
if seq ~= ARGV[3] then
  return redis.error_reply('OUT_OF_SEQUENCE commit follows ' .. ARGV[3] .. ' but the last commit is ' .. seq)
end
local group = ARGV[2]

-- (3) checks: walk the arguments once without writing
local types = {}
local function expect_type(key, allowed)
  local t = types[key]
  if t == nil then
    t = redis.call('TYPE', key)['ok']
    types[key] = t
  end
  if t ~= 'none' and t ~= allowed then
    return 'REJECTED key ' .. key .. ' holds a ' .. t .. ', expected a ' .. allowed .. ' (was it written by something else?)'
  end
  return nil
end
local problem = expect_type(KEYS[2], 'hash') or expect_type(KEYS[3], 'list')
if problem then return redis.error_reply(problem) end
local i = 7
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  problem = expect_type(KEYS[tonumber(ARGV[i]) + OFFSET], 'hash')
  if problem then return redis.error_reply(problem) end
  i = i + 3 + tonumber(ARGV[i + 2]) * (ARGV[i + 1] == 'D' and 1 or 2)
end
n = tonumber(ARGV[i]); i = i + 1
local idsChecked = {} -- output streams whose entry ids were checked (each once)
for _ = 1, n do
  local key = KEYS[tonumber(ARGV[i]) + OFFSET]
  problem = expect_type(key, 'stream')
  if problem then return redis.error_reply(problem) end
  if types[key] == 'stream' and not idsChecked[key] then
    idsChecked[key] = true
    problem = entry_id_stream_exhausted(key)
    if problem then return redis.error_reply(problem) end
  end
  local k = tonumber(ARGV[i + 3])
  i = i + 4 + k + tonumber(ARGV[i + 2]) * k
end
n = tonumber(ARGV[i]); i = i + 1
local delivered = {}   -- input key -> its group's last-delivered-id
for _ = 1, n do
  local key = KEYS[tonumber(ARGV[i]) + OFFSET]
  local t = redis.call('TYPE', key)['ok']
  if t ~= 'stream' then
    return redis.error_reply('REJECTED input ' .. key .. ' is a ' .. t .. ', not a stream (deleted while in use?)')
  end
  local g = cg_group(key, group)
  if not g then
    return redis.error_reply('REJECTED consumer group ' .. group .. ' of ' .. key .. ' does not exist (destroyed while in use?)')
  end
  delivered[key] = g['last-delivered-id']
  i = i + 2 + tonumber(ARGV[i + 1])
end

-- writes: nothing below can fail
i = 7
n = tonumber(ARGV[i]); i = i + 1
local written = {}   -- state store hash key -> its field count before this commit's writes
for _ = 1, n do
  local key = KEYS[tonumber(ARGV[i]) + OFFSET]
  -- state store hashes only (StreamKeys.store: '<slot>kv:<application>.<store>'): the meta hash, also written in runs
  -- (stream times), gains fields in this script itself (found by the scale-out tests: a false "cut" on every move)
  if written[key] == nil and key ~= KEYS[2] and string.find(key, ':kv:', 1, true) then
    written[key] = redis.call('HLEN', key)
  end
  local deletes = ARGV[i + 1] == 'D'
  local args = tonumber(ARGV[i + 2]) * (deletes and 1 or 2)
  i = i + 3
  local stop = i + args
  while i < stop do
    local last = math.min(i + 999, stop - 1) -- at most 1,000 arguments per call
    if deletes then
      redis.call('HDEL', key, unpack(ARGV, i, last))
    else
      redis.call('HSET', key, unpack(ARGV, i, last))
    end
    i = last + 1
  end
end

-- each state store hash's field count after this commit ('fields.<key>'): a hash that holds fewer before the next
-- commit writes it lost fields since (deleted or cut by hand, a partial loss of Redis' data), noted as
-- 'fields-lost.<key>' = '<count found>/<count left>' for the task's next start to report, as it reports a hash found
-- with fewer fields than recorded (StreamTask.reportLostState; found in review, 2026-12-07: a lost store's counts
-- started again from nothing without a word)
for key, before in pairs(written) do
  local recorded = redis.call('HGET', KEYS[2], 'fields.' .. key)
  if recorded and before < tonumber(recorded) then
    redis.call('HSET', KEYS[2], 'fields-lost.' .. key, before .. '/' .. recorded)
  end
  redis.call('HSET', KEYS[2], 'fields.' .. key, redis.call('HLEN', key))
end

i = append_outputs(i, OFFSET)

local ackStart = i
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  i = i + 2 + tonumber(ARGV[i + 1])
end
n = tonumber(ARGV[i]); i = i + 1
local counted = tonumber(redis.call('HGET', KEYS[2], 'dedupe-ids') or '0')
local ids = counted
if n > 0 then
  if redis.call('RPUSH', KEYS[3], ARGV[i]) == 1 then
    -- the log holds this commit's element alone: a count left from a log that went without it (deleted with a group
    -- made again for another source, create-group.lua; evicted) is not this log's, and trimmed this element at once
    -- (review 2026-12-07: DedupeRestartOrderTest)
    ids = 0
  end
  ids = ids + n
end
-- trim whole commits from the oldest: those whose newest id is older than the floor, and those the newest ARGV[5]
-- ids do not need
local floor = ARGV[4] ~= '' and tonumber(ARGV[4]) or nil
local keep = tonumber(ARGV[5])
while true do
  local head = redis.call('LINDEX', KEYS[3], 0)
  if not head then
    ids = 0
    break
  end
  local at, count = string.match(head, '^(%d+) (%d+)')
  at, count = tonumber(at), tonumber(count)
  if at == nil or count == nil then
    break -- not an element of ours (written by something else): left for the task's start to report
  end
  if (floor ~= nil and at < floor) or (keep > 0 and ids - count >= keep) then
    redis.call('LPOP', KEYS[3])
    ids = ids - count
  else
    break
  end
end
if ids ~= counted then
  redis.call('HSET', KEYS[2], 'dedupe-ids', tostring(ids))
end

local acked = 0
i = ackStart
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local key = KEYS[tonumber(ARGV[i]) + OFFSET]
  local nids = tonumber(ARGV[i + 1])
  i = i + 2
  local j = 0
  while j < nids do
    local last = math.min(j + 999, nids - 1)
    acked = acked + redis.call('XACK', key, group, unpack(ARGV, i + j, i + last))
    j = last + 1
  end
  if nids > 0 then
    -- the task has committed entries of this input: create-group.lua refuses to make its group again from the start
    -- when it is gone (destroyed, or lost in a partial loss of Redis' data) while the stream still holds some of
    -- them, which would process them again past the dedupe window. Recorded: the id up to which every entry is
    -- committed, below the oldest entry still pending and at most the last delivered (a merged input acknowledges out
    -- of id order, so the last id acknowledged is no such point: review 2026-12-07)
    local resume = delivered[key]
    local pending = redis.call('XPENDING', key, group)
    if pending[1] > 0 then
      local before = entry_id_before(pending[2])
      if entry_id_less(before, resume) then
        resume = before
      end
    end
    redis.call('HSET', KEYS[2], 'acked.' .. key, resume)
  end
  i = i + nids
end
local made = tonumber(seq) + 1
redis.call('HSET', KEYS[2], 'commit-seq', tostring(made), 'commit-run.' .. (made % ACKED_KEPT), ARGV[6],
    'commit-acked.' .. (made % ACKED_KEPT), acked)
return acked
