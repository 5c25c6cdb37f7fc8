-- Appends entries to streams in the order given, in one atomic step (the publisher's pipelined, ordered XADD).
-- KEYS     the stream keys referenced by index in ARGV
-- ARGV     nRuns, nRuns x { keyIndex, maxlen ('0' = none), nOut, nNames, names, nOut x values } (see append_outputs)
-- returns  the ms part of the earliest entry id appended: Redis' clock, as consumers see the entries' arrival (the
--          publisher caps its watermark by it, EventPublisher.sendAll); -1 when nothing was appended
local _, _, earliestMs = append_outputs(1, 0)
if earliestMs == nil then
  return -1
end
return earliestMs
