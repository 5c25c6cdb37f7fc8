-- Stream entry ids <ms>-<seq>, compared as Redis orders them. Included by scripts that compare ids (LuaScript: a line
-- '--#include entry-ids.lib.lua'). Both parts are read as Lua numbers (doubles): exact up to 2^53, beyond any
-- millisecond time and any sequence a producer reaches.

local function entry_id_parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

-- true when id a comes before id b
local function entry_id_less(a, b)
  local am, as = entry_id_parse(a)
  local bm, bs = entry_id_parse(b)
  return am < bm or (am == bm and as < bs)
end

-- the largest entry id before id (each part an unsigned 64-bit number; the first valid id is 0-1)
local function entry_id_before(id)
  local ms, seq = entry_id_parse(id)
  if seq > 0 then
    return string.format('%.0f-%.0f', ms, seq - 1)
  end
  return string.format('%.0f', ms - 1) .. '-18446744073709551615'
end
