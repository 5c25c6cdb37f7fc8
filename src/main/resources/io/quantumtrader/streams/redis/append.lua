-- Appends entries to streams in the order given, in one atomic step (the publisher's pipelined, ordered XADD).
-- KEYS     the stream keys referenced below by their index in KEYS
-- ARGV     nOut, nOut x { keyIndex, maxlen ('0' = none), nFieldValues, field1, value1, ... } (as commit.lua)
-- returns  the number of entries appended
local i = 1
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local key = KEYS[tonumber(ARGV[i])]
  local maxlen = ARGV[i + 1]
  local nfv = tonumber(ARGV[i + 2])
  i = i + 3
  local args = {}
  if maxlen ~= '0' then
    args = { 'MAXLEN', '~', maxlen }
  end
  args[#args + 1] = '*'
  for j = 0, nfv - 1 do
    args[#args + 1] = ARGV[i + j]
  end
  i = i + nfv
  redis.call('XADD', key, unpack(args))
end
return n
