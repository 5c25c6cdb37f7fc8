-- Appends entries to streams in the order given, in one atomic step (the publisher's pipelined, ordered XADD).
-- KEYS     the stream keys referenced by index in ARGV
-- ARGV     nRuns, nRuns x { keyIndex, maxlen ('0' = none), nOut, nNames, names, nOut x values } (see append_outputs)
-- returns  Redis' clock (TIME, epoch ms) when the entries were appended: the publisher caps its watermark by it
--          (EventPublisher.sendAll). Not the ms of the entry ids: a stream that once took an entry with an explicit
--          far-future id gives every later '*' id that future ms, which lifted the cap, and an id at or beyond 2^63 ms
--          came back as a negative integer (found in review, 2026-12-06)
-- errors   REJECTED when a key holds something other than a stream, or a stream whose entry ids are used up
--          (entry-ids.lib.lua): checked before the first write, so nothing is appended (before, the entries of the
--          streams before it were, and a publisher that tried again appended them twice)
--#include entry-ids.lib.lua
for k = 1, #KEYS do
  local t = redis.call('TYPE', KEYS[k])['ok']
  if t == 'stream' then
    local problem = entry_id_stream_exhausted(KEYS[k])
    if problem then return redis.error_reply(problem) end
  elseif t ~= 'none' then
    return redis.error_reply('REJECTED key ' .. KEYS[k] .. ' holds a ' .. t .. ', expected a stream (was it written by something else?)')
  end
end
append_outputs(1, 0)
local now = redis.call('TIME')
return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
