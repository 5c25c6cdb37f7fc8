-- Trims stream KEYS[1] by retention: entries that arrived before ARGV[1] (= now - retention, in ms) are removed
-- (XTRIM MINID), but never an entry some consumer group has not read yet (after its last-delivered-id) or has not
-- acknowledged (its oldest pending entry): a lagging consumer loses nothing (DESIGN §6 footnote).
-- An entry's arrival is the ms part of its id, unless the stream's ids run ahead of the clock: a writer may choose an
-- id in the future (XADD key 9999999999999-0 ...), and every id Redis makes after it on that stream is as large, so
-- the ids after it say nothing about arrival and, read as arrivals, would never come before the cut-off (until
-- 2026-12-06 trimming stopped for good at such an entry). While the last id is ahead of the clock (ARGV[2], now in
-- ms), each pass records in the sorted set KEYS[2] (member: the last id, score: now; kept only for the first pass
-- that saw it) that every entry up to that id had arrived by then; entries up to the newest mark at or before the
-- cut-off are trimmed as well. The marks expire 2 x retention after the last pass that wrote one: by then the
-- clock has passed the ids they cover, so the ids alone say enough. ARGV[3] = retention in ms.
-- Returns the number of entries removed.
--#include entry-ids.lib.lua
--#include consumer-groups.lib.lua
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local cutoff = ARGV[1]
local minid = cutoff .. '-0'
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last = '0-0'
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then
    last = info[i + 1]
  end
end
if entry_id_less(ARGV[2] .. '-18446744073709551615', last) then
  redis.call('ZADD', KEYS[2], 'NX', ARGV[2], last)
  redis.call('PEXPIRE', KEYS[2], 2 * tonumber(ARGV[3]) + 60000)
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  local mark = redis.call('ZREVRANGEBYSCORE', KEYS[2], cutoff, '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #mark > 0 then
    -- every entry up to mark[1] arrived by mark[2] <= cut-off: trim up to the entry after it (keep mark[1] itself
    -- when there is none, as the group bound below keeps last-delivered-id)
    local after = redis.call('XRANGE', KEYS[1], '(' .. mark[1], '+', 'COUNT', 1)
    local bound = mark[1]
    if #after > 0 then
      bound = after[1][1]
    end
    if entry_id_less(minid, bound) then
      minid = bound
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. mark[2])   -- older marks cover less
  end
end
for _, g in ipairs(cg_groups(KEYS[1])) do
  local last_delivered = g['last-delivered-id']
  local pending = redis.call('XPENDING', KEYS[1], g['name'])
  if pending[1] > 0 and entry_id_less(pending[2], minid) then
    minid = pending[2]
  end
  -- everything after last-delivered-id is unread; keeping last itself is the simplest safe bound
  if entry_id_less(last_delivered, minid) then
    minid = last_delivered
  end
end
return redis.call('XTRIM', KEYS[1], 'MINID', minid)
