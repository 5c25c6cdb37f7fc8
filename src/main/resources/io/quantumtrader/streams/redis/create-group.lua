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
-- KEYS[5] (optional, with KEYS[3] and KEYS[4]), the meta hash of the task reading the stream under the group, records
-- 'acked.<KEYS[1]>' (commit.lua): the id up to which the task committed every entry of the stream. When the group is
-- gone (destroyed, or lost in a partial loss of Redis' data) while the stream still holds some of those entries,
-- nothing is created and the script refuses (REJECTED, naming the group, the stream and the XGROUP CREATE that resumes
-- after them): made again from the start, the group would process them again past the dedupe window (found in review,
-- 2026-12-07: 20 outputs became 40). Made as before, and returning 2 instead of 1, when the stream itself was gone (the
-- documented fix of a stream whose ids are used up deletes it; a partial loss): nothing can be processed twice, but
-- what was written to it after the task's last read was lost with it, for the caller to report. Not refused either:
-- a group made for another source than the one recorded for its name, or for a source none was recorded for (a
-- generated name records nothing) (KEYS[3]: a sub-topology that took a removed one's id, the operator having destroyed
-- that one's group), a stream none of whose committed entries is retained, a key of
-- another type (XGROUP CREATE names it), and a Redis that lost everything (the meta hash is gone too).
-- Returns 1 when created, 2 when created for a stream that was gone though the task had committed entries of it, 0
-- when the group already existed, 3 when it existed past the stream's last id and was set back (see below).
--#include deleted-unread.lib.lua
local streamWasGone = false
if KEYS[5] then
  local acked = redis.call('HGET', KEYS[5], 'acked.' .. KEYS[1])
  local recorded = redis.call('HGET', KEYS[3], ARGV[1])
  -- refused only for the source known to have read it (recorded): a reader with a generated name records nothing, and
  -- a sub-topology that took a removed one's id on this stream cannot be told from it (review 2026-12-07:
  -- RemovedThenAddedReaderTest, where the advice would have skipped every retained entry of the new reader)
  if acked and ARGV[2] ~= '' and recorded == ARGV[2] then
    if redis.call('EXISTS', KEYS[1]) == 0 then
      streamWasGone = true
    elseif redis.call('TYPE', KEYS[1])['ok'] == 'stream' and not cg_group(KEYS[1], ARGV[1]) then
      local info = redis.call('XINFO', 'STREAM', KEYS[1])
      local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
      local deleted = du_field(info, 'max-deleted-entry-id') or '0-0'
      if entry_id_less(du_field(info, 'last-generated-id'), acked)
          and (not first or entry_id_less(deleted, first[1])) then
        -- ids went back below what the task committed, and no entry is left from before the stream's deletions: it was
        -- deleted and written again since (the documented fix of ids used up or ahead of the clock, a producer writing
        -- on at once), not the stream 'acked' refers to. Refused, with advice to resume after 'acked', every entry
        -- written since was skipped (found in review, 2026-12-08: LostGroupRefusalEdgesTest). Made as for a stream
        -- that was gone. The fix made in place (XDEL, XSETID ... MAXDELETEDID) keeps the committed entries, at or
        -- below its MAXDELETEDID: refused as below (review of that change: made again from 0 it processed them again)
        streamWasGone = true
      elseif #redis.call('XRANGE', KEYS[1], '-', acked, 'COUNT', 1) > 0 then
        return redis.error_reply('REJECTED consumer group ' .. ARGV[1] .. ' of stream ' .. KEYS[1] .. ' is gone, although '
            .. 'its task committed every entry of it up to ' .. acked .. ' (' .. KEYS[5] .. ') and the stream still holds '
            .. 'some: made again from the start it would process them again. Was it destroyed, or did Redis lose part of '
            .. 'its data? To resume after them: XGROUP CREATE ' .. KEYS[1] .. ' ' .. ARGV[1] .. ' ' .. acked
            .. ' (0 instead of ' .. acked .. ' processes every retained entry again), then start again')
      end
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
    -- no record, while a task under this name committed entries of the stream: a reader with a generated name, which
    -- records nothing, removed since (its group destroyed as the start's warning advises); a named reader made now is
    -- another sub-topology (review 2026-12-07: its ids hid every retained entry from the new one, RemovedThenAddedReaderTest)
    local unrecordedBefore = (not before or before == '') and ARGV[2] ~= '' and KEYS[5]
        and redis.call('HEXISTS', KEYS[5], 'acked.' .. KEYS[1]) == 1
    if ((before and before ~= '' and before ~= ARGV[2]) or unrecordedBefore) and KEYS[4] then
      redis.call('DEL', KEYS[4])
      if KEYS[5] then
        -- the meta hash under that name is the other sub-topology's too: its count of the log's ids (the log is gone on
        -- purpose: not a loss to report, review 2026-12-07) and its committed position on this stream
        redis.call('HSET', KEYS[5], 'dedupe-ids', '0')
        redis.call('HDEL', KEYS[5], 'acked.' .. KEYS[1])
      end
    end
    if ARGV[2] ~= '' then
      redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
    else
      redis.call('HDEL', KEYS[3], ARGV[1])
    end
  end
  if streamWasGone then
    redis.call('HDEL', KEYS[5], 'acked.' .. KEYS[1])
    return 2
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
  -- a group past the stream's last id: XSETID set the stream's last id back (the documented fix of ids used up or
  -- ahead of the clock), and the group, having read the entry at the bad id, would skip every entry written since up
  -- to its last-delivered-id, without a word (found in review, 2026-12-08: ExhaustedSourceStreamFixTest). Set back
  -- (its pending entries stay) to the id the fix set (XSETID's MAXDELETEDID: the group had read every entry up to the
  -- bad one, and producers may have written after the fix), else to the stream's last id; returns 3
  local g = cg_group(KEYS[1], ARGV[1])
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  local last = du_field(info, 'last-generated-id')
  if g and entry_id_less(last, g['last-delivered-id']) then
    local to = last
    local deleted = du_field(info, 'max-deleted-entry-id')
    if deleted and deleted ~= '0-0' and entry_id_less(deleted, last) then
      to = deleted
    end
    redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], to)
    return 3
  end
  return 0
end
return redis.error_reply(tostring(err))
