-- Shared by commit.lua, append.lua and forward.lua (prepended by LuaScript.load).
-- XADD key [MAXLEN ~ maxlen] * with the nfv field/value arguments ARGV[i .. i + nfv - 1] ('0' = no MAXLEN).
local function xadd_from_argv(key, maxlen, i, nfv)
  if maxlen ~= '0' then
    redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', unpack(ARGV, i, i + nfv - 1))
  else
    redis.call('XADD', key, '*', unpack(ARGV, i, i + nfv - 1))
  end
end
-- Appends the outputs encoded in ARGV from index i: nRuns, then per run { keyIndex, maxlen ('0' = none), nOut,
-- nNames, name1 .. nameK, then nOut x { value1 .. valueK } }: consecutive outputs to one stream with the same field
-- names, which are sent once per run instead of once per output (CommitBatch.java). The stream of a run is
-- KEYS[keyIndex + keyOffset]. Returns the ARGV index after the outputs and the number appended.
local function append_outputs(i, keyOffset)
  local runs = tonumber(ARGV[i]); i = i + 1
  local appended = 0
  for _ = 1, runs do
    local key = KEYS[tonumber(ARGV[i]) + keyOffset]
    local maxlen = ARGV[i + 1]
    local n = tonumber(ARGV[i + 2])
    local k = tonumber(ARGV[i + 3])
    i = i + 4
    -- one argument table per run: the names stay, each output's values are written over the previous ones
    local fv = {}
    for j = 1, k do
      fv[2 * j - 1] = ARGV[i + j - 1]
    end
    i = i + k
    for _ = 1, n do
      for j = 1, k do
        fv[2 * j] = ARGV[i + j - 1]
      end
      if maxlen ~= '0' then
        redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', unpack(fv))
      else
        redis.call('XADD', key, '*', unpack(fv))
      end
      i = i + k
    end
    appended = appended + n
  end
  return i, appended
end
