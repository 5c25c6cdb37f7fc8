-- Shared by commit.lua, append.lua and forward.lua (prepended by LuaScript.load).
-- XADD key [MAXLEN ~ maxlen] * with the nfv field/value arguments ARGV[i .. i + nfv - 1] ('0' = no MAXLEN).
local function xadd_from_argv(key, maxlen, i, nfv)
  if maxlen ~= '0' then
    redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', unpack(ARGV, i, i + nfv - 1))
  else
    redis.call('XADD', key, '*', unpack(ARGV, i, i + nfv - 1))
  end
end
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
    xadd_from_argv(key, maxlen, i, nfv)
    i = i + nfv
  end
  return i, n
end
