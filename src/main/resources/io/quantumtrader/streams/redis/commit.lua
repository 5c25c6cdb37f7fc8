-- Commits one task batch atomically (DESIGN §2 commit protocol):
--   (1) fencing check, (2) state writes, (3) outputs (XADD, MAXLEN ~), (4) acknowledgements (XACK).
-- Either all of it happens or none of it: a crash before this script re-processes the batch, a crash after it
-- finds the inputs acknowledged and the outputs present, so no effect is lost or duplicated.
--
-- Commits of a task are pipelined (the next batch is processed while this one is in flight), so each commit also
-- checks that it follows the previous one: a commit whose predecessor failed fails too, and the task restarts from
-- what Redis holds.
--
-- KEYS[1]  lease key of the task; KEYS[2] the task's meta hash (field 'commit-seq');
-- KEYS[3..] the batch's keys, referenced below by index k meaning KEYS[k + 2]
-- ARGV[1]  fencing token the caller holds; ARGV[2] consumer group; ARGV[3] the commit-seq this commit follows
-- then     nState, nState x { keyIndex, field, op ('S' set | 'D' delete), value ('' for delete) }
--          nOut,   nOut   x { keyIndex, maxlen ('0' = none), nFieldValues, field1, value1, ... } (append_outputs)
--          nAck,   nAck   x { keyIndex, nIds, id1, id2, ... }
-- returns  the number of entries acknowledged (entries that were pending)
local owner = redis.call('GET', KEYS[1])
if owner ~= ARGV[1] then
  return redis.error_reply('FENCED lease ' .. KEYS[1] .. ' is held by token ' .. tostring(owner) .. ', not ' .. ARGV[1])
end
local seq = redis.call('HGET', KEYS[2], 'commit-seq') or '0'
if seq ~= ARGV[3] then
  return redis.error_reply('OUT_OF_SEQUENCE commit follows ' .. ARGV[3] .. ' but the last commit is ' .. seq)
end
redis.call('HSET', KEYS[2], 'commit-seq', tostring(tonumber(seq) + 1))
local group = ARGV[2]
local i = 4

local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local key = KEYS[tonumber(ARGV[i]) + 2]
  if ARGV[i + 2] == 'D' then
    redis.call('HDEL', key, ARGV[i + 1])
  else
    redis.call('HSET', key, ARGV[i + 1], ARGV[i + 3])
  end
  i = i + 4
end

i = append_outputs(i, 2)

local acked = 0
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local key = KEYS[tonumber(ARGV[i]) + 2]
  local nids = tonumber(ARGV[i + 1])
  i = i + 2
  local j = 0
  while j < nids do
    local chunk = {}
    for c = 0, math.min(999, nids - j - 1) do
      chunk[#chunk + 1] = ARGV[i + j + c]
    end
    acked = acked + redis.call('XACK', key, group, unpack(chunk))
    j = j + #chunk
  end
  i = i + nids
end
return acked
