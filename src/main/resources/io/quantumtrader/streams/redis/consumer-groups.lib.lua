-- Included by the scripts that look at a stream's consumer groups (LuaScript: a line '--#include <file>').
-- XINFO GROUPS replies each group as a flat list of field names and values.

-- The consumer groups of stream key, each a table of its XINFO GROUPS fields by name ('name', 'last-delivered-id',
-- 'entries-read', 'lag', 'pending', 'consumers'; a nil value of RESP is false). Raises XINFO's error (no such key, a
-- key of another type, an ACL refusal) as redis.call does: a caller that may meet a missing key checks first, or
-- calls it under pcall.
local function cg_groups(key)
  local groups = {}
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', key)) do
    local fields = {}
    for i = 1, #g, 2 do
      fields[g[i]] = g[i + 1]
    end
    groups[#groups + 1] = fields
  end
  return groups
end

-- Consumer group name of stream key as cg_groups gives it, or nil when there is no such group; raises as cg_groups.
local function cg_group(key, name)
  for _, g in ipairs(cg_groups(key)) do
    if g['name'] == name then
      return g
    end
  end
  return nil
end

-- The smallest of bound (nil: none) and, for every consumer group of stream key, its last-delivered-id (kept: what is
-- after it is unread) and its oldest pending entry: entries below it (XTRIM MINID) are read and acknowledged by every
-- group. Shared by trim-retention.lua (bound: the retention's cut-off) and purge-acknowledged.lua (no bound); needs
-- entry-ids.lib.lua included before this file. Raises as cg_groups.
local function cg_trim_bound(key, bound)
  for _, g in ipairs(cg_groups(key)) do
    local kept = g['last-delivered-id']
    local pending = redis.call('XPENDING', key, g['name'])
    if pending[1] > 0 and entry_id_less(pending[2], kept) then
      kept = pending[2]
    end
    if bound == nil or entry_id_less(kept, bound) then
      bound = kept
    end
  end
  return bound
end
