-- Trims stream KEYS[1] by retention: entries that arrived before now - retention (ARGV[1], ms) are removed
-- (XTRIM MINID), but never an entry some consumer group has not read yet (after its last-delivered-id) or has not
-- acknowledged (its oldest pending entry): a lagging consumer loses nothing (DESIGN §6 footnote).
-- "now" is Redis' clock (TIME), the clock that makes the ids: until 2026-12-06 it was the trimming instance's, so a
-- pod whose clock ran ahead of Redis' trimmed entries still within retention and one behind trimmed too little
-- (RetentionTrimTest). ARGV[2], when not empty, replaces it with a given time in ms (tests replaying a time line).
-- An entry's arrival is the ms part of its id, unless the stream's ids run ahead of the clock: a writer may choose an
-- id in the future (XADD key 9999999999999-0 ...), and every id Redis makes after it on that stream is as large, so
-- the ids after it say nothing about arrival and, read as arrivals, would never come before the cut-off (until
-- 2026-12-06 trimming stopped for good at such an entry). While the last id is ahead of the clock, each pass records
-- in the sorted set KEYS[2] (member: the last id, see below; score: now; kept only for the first pass that saw it) that every
-- entry up to that id had arrived by then; entries up to the newest mark at or before the cut-off are trimmed as
-- well. The marks expire 2 x retention after the last pass that wrote one: by then the clock has passed the ids they
-- cover, so the ids alone say enough.
-- A mark holds only while the stream's ids never go back below it, and they do when an operator applies the fix for
-- ids ahead of the clock (OPERATIONS.md: XDEL + XSETID ... MAXDELETEDID, or delete the stream): the entries written
-- after it get ids below the mark whenever they arrive, and until 2026-12-06 every pass once the mark was older than
-- the retention trimmed them all (a dead-letter stream, no group: every dead letter of the 30 days after the fix; found
-- in review: RetentionMarkAfterIdResetTest). So a pass discards every mark (DEL KEYS[2]) when the stream is gone, when
-- the newest mark or the one it would use is above the stream's last id (only XSETID or a new stream make the last id
-- go back), or when the stream counts fewer entries ever added (XINFO entries-added, Redis 7.0+) than when the mark was
-- written (a stream deleted and written again, even past the mark's id before a pass saw it). A member is
-- '<last id>@<entries-added>' ('<last id>' when Redis does not tell, and for marks written before). Discarding only
-- trims less: the ids decide again, and a stream still ahead of the clock gets a new mark in the same pass. Not seen:
-- an XSETID fix (entries-added unchanged) followed by ids past the mark before the next pass; OPERATIONS.md asks to
-- DEL KEYS[2] with the fix when a writer may do that.
-- Returns the number of entries removed.
--#include entry-ids.lib.lua
--#include consumer-groups.lib.lua
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])   -- marks of a stream that is gone say nothing about the next one of that name
  return 0
end
local retention = tonumber(ARGV[1])
local now
if ARGV[2] ~= nil and ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local now_ms = string.format('%.0f', now)
local cutoff = string.format('%.0f', math.max(0, now - retention))
local minid = cutoff .. '-0'
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last = '0-0'
local added = nil   -- entries ever added (a digit string), absent before Redis 7.0
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then
    last = info[i + 1]
  elseif info[i] == 'entries-added' then
    added = string.format('%.0f', info[i + 1])
  end
end
-- true when mark member m no longer holds: the stream's ids went back below it, or the stream was written anew
local function mark_reset(m)
  local id, mark_added = string.match(m, '^([^@]+)@?(%d*)$')
  if id == nil or entry_id_less(last, id) then
    return true
  end
  return added ~= nil and mark_added ~= '' and entry_id_decimal_less(added, mark_added)
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  local newest = redis.call('ZREVRANGE', KEYS[2], 0, 0)
  if #newest > 0 and mark_reset(newest[1]) then
    redis.call('DEL', KEYS[2])
  end
end
if entry_id_less(now_ms .. '-18446744073709551615', last) then
  local member = last
  if added ~= nil then
    member = last .. '@' .. added
  end
  redis.call('ZADD', KEYS[2], 'NX', now_ms, member)
  redis.call('PEXPIRE', KEYS[2], 2 * retention + 60000)
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  local mark = redis.call('ZREVRANGEBYSCORE', KEYS[2], cutoff, '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #mark > 0 and mark_reset(mark[1]) then
    redis.call('DEL', KEYS[2])   -- not the newest, yet reset (equal scores): discard all, as above
    mark = {}
  end
  if #mark > 0 then
    local mark_id = string.match(mark[1], '^([^@]+)')
    -- every entry up to mark_id arrived by mark[2] <= cut-off: trim up to the entry after it (keep mark_id itself
    -- when there is none, as the group bound below keeps last-delivered-id)
    local after = redis.call('XRANGE', KEYS[1], '(' .. mark_id, '+', 'COUNT', 1)
    local bound = mark_id
    if #after > 0 then
      bound = after[1][1]
    end
    if entry_id_less(minid, bound) then
      minid = bound
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. mark[2])   -- older marks cover less
  end
end
-- never past what a group has not read (after its last-delivered-id, kept itself: the simplest safe bound) or not
-- acknowledged (its oldest pending entry)
return redis.call('XTRIM', KEYS[1], 'MINID', cg_trim_bound(KEYS[1], minid))
