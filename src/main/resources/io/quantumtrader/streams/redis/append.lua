-- Appends entries to streams in the order given, in one atomic step (the publisher's pipelined, ordered XADD).
-- KEYS     the stream keys referenced by index in ARGV
-- ARGV     nRuns, nRuns x { keyIndex, maxlen ('0' = none), nOut, nNames, names, nOut x values } (see append_outputs)
-- returns  the number of entries appended
local _, n = append_outputs(1, 0)
return n
