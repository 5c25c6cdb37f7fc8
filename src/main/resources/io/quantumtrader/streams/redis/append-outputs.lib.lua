-- Shared by commit.lua and append.lua (prepended by LuaScript.load).
-- Appends the outputs encoded in ARGV from index i: nOut, then nOut x { keyIndex, maxlen ('0' = none),
-- nFieldValues, field1, value1, ... }; the stream of an output is KEYS[keyIndex + keyOffset].
-- Returns the ARGV index after the outputs and the number appended.
local function append_outputs(i, keyOffset)
  local n = tonumber(ARGV[i]); i = i + 1
  for _ = 1, n do
    local key = KEYS[tonumber(ARGV[i]) + keyOffset]
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
  return i, n
end
