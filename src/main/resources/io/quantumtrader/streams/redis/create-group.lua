-- Creates consumer group ARGV[1] on stream KEYS[1] reading from the start (id 0), creating the stream if needed.
-- Entries deleted from the stream before the group existed were never the group's to read: the group starts after
-- the entries trimmed from the head, and the stream's max-deleted-entry-id goes into KEYS[2], its deleted-unread hash,
-- so that only entries deleted later, while the group had not read them, are reported (deleted-unread.lib.lua).
-- KEYS[3] (optional), the stream partition's group-readers hash, records ARGV[2], the source node the group is made
-- for (RenumberedSubtopologyCheck compares it at the next starts): set when the group is created (a record left by a
-- destroyed group of the same name is replaced), and when the group exists without a record (a group made before the
-- record existed, or by a release whose source name was generated); never changed otherwise. An empty ARGV[2] (a
-- generated source name, which moves when nodes are added before it) records nothing and removes a left record on
-- creation. KEYS[4] (with KEYS[3]), the group's dedupe log in this partition, is deleted when the group is created for
-- another source than the one recorded.
-- KEYS[5] (optional, with KEYS[3] and KEYS[4]), the meta hash of the task reading the stream under the group: when it
-- records entries of KEYS[1] its commits acknowledged ('acked.<KEYS[1]>', commit.lua) and the group is gone (destroyed,
-- or lost with its stream or in a partial loss of Redis' data), nothing is created and the script refuses (REJECTED,
-- naming the group, the stream and what to do): made again from the start, the group would process every retained
-- entry the task had committed again, past the dedupe window (found in review, 2026-12-07: 20 outputs became 40).
-- A Redis that lost everything lost the meta hash too, and the group is made again as before; so is a group made for
-- another source than the one recorded for its name (KEYS[3]: a sub-topology that took a removed one's id).
-- Returns 1 when created, 0 when the group already existed.
--#include deleted-unread.lib.lua
if KEYS[5] then
  local acked = redis.call('HGET', KEYS[5], 'acked.' .. KEYS[1])
  local recorded = redis.call('HGET', KEYS[3], ARGV[1])
  -- a group made for another source than this one (recorded in KEYS[3]) was another sub-topology's, destroyed by the
  -- operator after RenumberedSubtopologyCheck's refusal so that the new one reads the retained entries: not refused
  if acked and (not recorded or recorded == '' or recorded == ARGV[2]) then
    local exists = false
    if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('TYPE', KEYS[1])['ok'] == 'stream' then
      for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
        for i = 1, #g, 2 do
          if g[i] == 'name' and g[i + 1] == ARGV[1] then
            exists = true
          end
        end
      end
    end
    if not exists then
      return redis.error_reply('REJECTED consumer group ' .. ARGV[1] .. ' of stream ' .. KEYS[1] .. ' is gone, although '
          .. 'its task committed entries of it up to ' .. acked .. ' (' .. KEYS[5] .. '): made again from the start it '
          .. 'would process them again. Was it destroyed, or did Redis lose part of its data? To resume after them: '
          .. 'XGROUP CREATE ' .. KEYS[1] .. ' ' .. ARGV[1] .. ' ' .. acked .. ' MKSTREAM (0 instead of ' .. acked
          .. ' processes every retained entry again), then start the task again')
    end
  end
end
local ok, err = pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
if ok then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  local added = du_field(info, 'entries-added')   -- absent before Redis 7.0: nothing to skip or remember
  if type(added) == 'number' and added > du_field(info, 'length') then
    du_skip_gap(KEYS[1], ARGV[1], info)
  end
  local deleted = du_field(info, 'max-deleted-entry-id')
  if deleted and deleted ~= '0-0' then
    redis.call('HSET', KEYS[2], ARGV[1], deleted)
  else
    -- a new stream: a mark left by a deleted one of the same key (its group gone with it) would hide every XDEL of
    -- ids below it in this one (found in review, 2026-12-06: DeletedUnreadMarkAfterStreamDeletedTest)
    redis.call('HDEL', KEYS[2], ARGV[1])
  end
  if KEYS[3] then
    -- a group made again for another source than the one its name was made for before (its group destroyed by the
    -- operator after RenumberedSubtopologyCheck's refusal, or after a sub-topology was removed for good): the dedupe
    -- log KEYS[4] under that name is the other sub-topology's, and its ids hid the retained entries of the stream from
    -- the new one for the dedupe window (found in review, 2026-12-06: RenumberedSubtopologyTest)
    local before = redis.call('HGET', KEYS[3], ARGV[1])
    if before and before ~= '' and before ~= ARGV[2] and KEYS[4] then
      redis.call('DEL', KEYS[4])
    end
    if ARGV[2] ~= '' then
      redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
    else
      redis.call('HDEL', KEYS[3], ARGV[1])
    end
  end
  return 1
end
if string.find(tostring(err), 'BUSYGROUP') then
  if KEYS[3] and ARGV[2] ~= '' then
    local recorded = redis.call('HGET', KEYS[3], ARGV[1])
    if not recorded or recorded == '' then
      redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
    end
  end
  return 0
end
return redis.error_reply(tostring(err))
