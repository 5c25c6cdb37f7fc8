-- Stream entry ids <ms>-<seq>, compared as Redis orders them. Included by scripts that compare ids (LuaScript: a line
-- '--#include entry-ids.lib.lua'). Both parts are unsigned 64-bit decimals, handled as digit strings: a writer may
-- choose any id (XADD <key> 9999999999999999999-1 ...), and as Lua numbers (doubles, exact up to 2^53) the id before
-- that one came out as 10000000000000000000-0, after it, so a consumer group was moved past entries it had not read
-- (found in review, 2026-12-06: HostileEntryTest).

local function entry_id_parse(id)
  local ms, seq = string.match(id, '^0*(%d-%d)-0*(%d-%d)$')
  return ms, seq
end

-- true when decimal a (no leading zeros) is less than decimal b (no leading zeros)
local function entry_id_decimal_less(a, b)
  if #a ~= #b then
    return #a < #b
  end
  return a < b
end

-- decimal d (no leading zeros, > 0) less one, without leading zeros
local function entry_id_decimal_pred(d)
  local i = #d
  while string.sub(d, i, i) == '0' do
    i = i - 1
  end
  local out = string.sub(d, 1, i - 1) .. tostring(tonumber(string.sub(d, i, i)) - 1) .. string.rep('9', #d - i)
  return (string.gsub(out, '^0+(%d)', '%1'))
end

-- true when id a comes before id b
local function entry_id_less(a, b)
  local am, as = entry_id_parse(a)
  local bm, bs = entry_id_parse(b)
  if am ~= bm then
    return entry_id_decimal_less(am, bm)
  end
  return entry_id_decimal_less(as, bs)
end

-- the largest entry id before id (each part an unsigned 64-bit number; the first valid id is 0-1)
local function entry_id_before(id)
  local ms, seq = entry_id_parse(id)
  if seq ~= '0' then
    return ms .. '-' .. entry_id_decimal_pred(seq)
  end
  return entry_id_decimal_pred(ms) .. '-18446744073709551615'
end

-- The largest millisecond part of an entry id, 2^64 - 1, as a digit string.
local ENTRY_ID_LAST_MS = '18446744073709551615'

-- nil while XADD <key> * can still add entries to stream key, otherwise a REJECTED error message for people. XADD *
-- fails ('ERR The stream has exhausted the last possible ID') only once the last generated id is at millisecond
-- 2^64 - 1 and its sequence is used up (Redis t_stream.c, streamIncrID); a stream whose last id is at that millisecond
-- got there through an explicit id (XADD <key> 18446744073709551615-<seq>), so any id there is refused, not only the
-- very last one. Scripts that may XADD * call it in their checks, before their first write: Redis does not roll back
-- a script that fails halfway (found in review, 2026-12-06: ExhaustedStreamIdsTest). key must hold a stream (the
-- caller checked its type; XINFO fails on another type and on a missing key).
local function entry_id_stream_exhausted(key)
  local info = redis.call('XINFO', 'STREAM', key)
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then
      local last = info[i + 1]
      if entry_id_parse(last) ~= ENTRY_ID_LAST_MS then
        return nil
      end
      return 'REJECTED stream ' .. key .. ' has used up its entry ids: its last id ' .. last .. ' is at the largest'
          .. ' millisecond Redis allows (an entry was added there with an explicit id). Delete those entries (XDEL)'
          .. ' and set the id back (XSETID ' .. key .. ' <id> MAXDELETEDID <id>; its readers\' consumer groups are set'
          .. ' back to <id> at their next start), or delete the stream'
    end
  end
  return nil
end
