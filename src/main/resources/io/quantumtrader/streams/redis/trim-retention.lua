-- Trims stream KEYS[1] by retention: entries with an id below ARGV[1]-0 (ARGV[1] = now - retention, in ms) are
-- removed (XTRIM MINID), but never an entry some consumer group has not read yet (after its last-delivered-id) or
-- has not acknowledged (its oldest pending entry): a lagging consumer loses nothing (DESIGN §6 footnote).
-- Returns the number of entries removed.
--#include entry-ids.lib.lua
--#include consumer-groups.lib.lua
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local minid = ARGV[1] .. '-0'
for _, g in ipairs(cg_groups(KEYS[1])) do
  local last = g['last-delivered-id']
  local pending = redis.call('XPENDING', KEYS[1], g['name'])
  if pending[1] > 0 and entry_id_less(pending[2], minid) then
    minid = pending[2]
  end
  -- everything after last-delivered-id is unread; keeping last itself is the simplest safe bound
  if entry_id_less(last, minid) then
    minid = last
  end
end
return redis.call('XTRIM', KEYS[1], 'MINID', minid)
