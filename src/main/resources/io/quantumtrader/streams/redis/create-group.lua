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
-- Returns 1 when created, 0 when the group already existed.
--#include deleted-unread.lib.lua
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
