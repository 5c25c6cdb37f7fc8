-- Appends a producing task's outbox entries to their streams in this slot, idempotently (Redis Cluster: the task's
-- commit wrote them to its outbox in its own slot; DESIGN §2 "Redis Cluster"). KEYS[1] is the slot's 'forwarded'
-- hash: producer (its outbox key) -> id of the last outbox entry appended here. Outbox ids only grow, so an entry
-- whose id is not above that mark was appended before (a forward repeated after a crash, or by two forwarders at
-- once) and is dropped.
-- KEYS[2..] the target streams, referenced by index k meaning KEYS[k + 1]
-- ARGV[1]  producer (outbox key); ARGV[2] n; then n x { outbox id, keyIndex, maxlen ('0' = none), nFieldValues, f1, v1, ... }
--          maxlen 'W' marks a watermark: HSET key f1 v1 (the key is a hash of watermarks, not a stream); last, the
--          call's nonce: the hash keeps '<producer>#call' = '<nonce> <appended>' of the producer's last call, and the
--          same call run again (sent again by the client after its connection was lost) returns that count
-- returns  the number appended (the others were repeats)
-- errors   REJECTED when a target key is not a stream, or is a stream whose entry ids are used up (entry-ids.lib.lua;
--          checked before the first write: nothing is written)
--#include entry-ids.lib.lua
local t = redis.call('TYPE', KEYS[1])['ok']
if t ~= 'none' and t ~= 'hash' then
  return redis.error_reply('REJECTED key ' .. KEYS[1] .. ' holds a ' .. t .. ', expected a hash')
end
local expected = {}
local p = 3
for _ = 1, tonumber(ARGV[2]) do
  expected[tonumber(ARGV[p + 1]) + 1] = (ARGV[p + 2] == 'W') and 'hash' or 'stream'
  p = p + 4 + tonumber(ARGV[p + 3])
end
for k = 2, #KEYS do
  t = redis.call('TYPE', KEYS[k])['ok']
  local want = expected[k] or 'stream'
  if t ~= 'none' and t ~= want then
    return redis.error_reply('REJECTED key ' .. KEYS[k] .. ' holds a ' .. t .. ', expected a ' .. want)
  end
  if t == 'stream' then
    -- XADD * would fail after the appends before it, and the mark, written last, would not cover them: the next
    -- forward would append them again
    local problem = entry_id_stream_exhausted(KEYS[k])
    if problem then return redis.error_reply(problem) end
  end
end
local nonce = ARGV[#ARGV]
local call = ARGV[1] .. '#call'
local previous = redis.call('HGET', KEYS[1], call)
if previous and string.sub(previous, 1, #nonce + 1) == nonce .. ' ' then
  -- this very call ran before (its reply was lost): what it appended, and a write for the caller's WAIT
  redis.call('HSET', KEYS[1], call, previous)
  return tonumber(string.sub(previous, #nonce + 2))
end
local last = redis.call('HGET', KEYS[1], ARGV[1]) or '0-0'
local mark = last
local appended, dropped = 0, 0
local i = 3
for _ = 1, tonumber(ARGV[2]) do
  local id = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1]) + 1]
  local maxlen = ARGV[i + 2]
  local nfv = tonumber(ARGV[i + 3])
  i = i + 4
  if entry_id_less(mark, id) and maxlen == 'W' then
    redis.call('HSET', key, ARGV[i], ARGV[i + 1])
    mark = id
  elseif entry_id_less(mark, id) then
    xadd_from_argv(key, maxlen, i, nfv)
    mark = id
    appended = appended + 1
  else
    dropped = dropped + 1
  end
  i = i + nfv
end
-- written even when unchanged (every entry a repeat): a forward after a crash must make a write the caller's WAIT can
-- wait for, or its WAIT would not cover the first forwarder's appends it now deletes from the outbox (found in review,
-- 2026-12-05)
redis.call('HSET', KEYS[1], ARGV[1], mark)
redis.call('HSET', KEYS[1], call, nonce .. ' ' .. appended)
return appended
