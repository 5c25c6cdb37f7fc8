-- Included by deleted-unread.lua, read-group.lua and create-group.lua (LuaScript: a line '--#include <file>').
-- Input entries deleted before their consumer group read them: an XADD with MAXLEN (the catalog's maxlen, or any
-- producer's), XTRIM or XDEL can delete entries a lagging group has not read yet, and XREADGROUP then simply returns
-- the entries after them. Redis 7 keeps what it takes to see it (XINFO STREAM and GROUPS):
--   * trimmed (MAXLEN, MINID: the oldest entries): the group is behind the stream's first entry, and of the entries
--     deleted so far (entries-added - length) more than those up to the group's last-delivered-id (its entries-read,
--     the logical offset of that id; 0 for a group that has read nothing) were deleted: exactly that many unread;
--   * deleted one by one (XDEL): the stream's max-deleted-entry-id is after the group's last-delivered-id.
-- Each such loss is dead-lettered once (one entry naming the range and, when Redis can tell, how many entries it held).
-- Then the group's last-delivered-id moves over the gap (to just before the first entry, or to the last id of an empty
-- stream), so the same trim is not found again, and the stream's deleted-unread hash (StreamKeys.deletedUnread)
-- remembers the max-deleted-entry-id reported for the group, so the same XDEL is not reported again.
-- The same hash keeps the group's running totals of what was reported ('#entries:<group>', the entries counted;
-- '#unknown:<group>', reports of a number Redis could not tell), and reads return those totals rather than what they
-- found themselves: a reader that lost a read's reply (its connection lost, Lettuce re-sending the script) still sees
-- the loss in the totals of its next read and counts it once (PartitionReader).

--#include entry-ids.lib.lua
--#include consumer-groups.lib.lua

local function du_field(reply, name)
  for i = 1, #reply, 2 do
    if reply[i] == name then
      return reply[i + 1]
    end
  end
  return nil
end

-- The streams of a fenced read as deleted-unread.lua and read-group.lua receive them: keysBefore keys (KEYS[1] the
-- task's lease, ...), then n stream keys, their n deleted-unread hashes, their n dead-letter stream keys; the n logical
-- names in ARGV after index namesAfter. Returns the four lists (keys, marks, dlqs, names) that deleted_unread takes.
local function du_streams(namesAfter, keysBefore)
  local n = (#KEYS - keysBefore) / 3
  local keys, marks, dlqs, names = {}, {}, {}, {}
  for i = 1, n do
    keys[i] = KEYS[keysBefore + i]
    marks[i] = KEYS[keysBefore + n + i]
    dlqs[i] = KEYS[keysBefore + 2 * n + i]
    names[i] = ARGV[namesAfter + i]
  end
  return keys, marks, dlqs, names
end

-- Moves group's last-delivered-id over the entries trimmed from the head of stream key (info: its XINFO STREAM reply),
-- keeping entries-read exact when no entry after the gap was deleted one by one. Only ids of deleted entries are passed.
local function du_skip_gap(key, group, info)
  local first = du_field(info, 'first-entry')
  local deleted = du_field(info, 'max-deleted-entry-id')
  local gapEnd = first and entry_id_before(first[1]) or du_field(info, 'last-generated-id')
  if not first or entry_id_less(deleted, first[1]) then
    redis.call('XGROUP', 'SETID', key, group, gapEnd, 'ENTRIESREAD', du_field(info, 'entries-added') - du_field(info, 'length'))
  else
    redis.call('XGROUP', 'SETID', key, group, gapEnd)
  end
end

-- The group's running totals in each deleted-unread hash of marks: a flat list, two numbers per stream (entries
-- deleted unread reported so far, and reports of an unknown number so far).
local function du_totals(marks, group)
  local totals = {}
  for i = 1, #marks do
    local t = redis.call('HMGET', marks[i], '#entries:' .. group, '#unknown:' .. group)
    totals[2 * i - 1] = tonumber(t[1]) or 0
    totals[2 * i] = tonumber(t[2]) or 0
  end
  return totals
end

-- Notes in each deleted-unread hash of marks the totals the group's reader has counted ('#counted-entries:<group>',
-- '#counted-unknown:<group>'): two numbers per stream in ARGV from index 'from' on, '' when the reader counts nothing
-- (nothing noted). A claim at the task's next start returns them (claim-pending.lua), so what a read found and its
-- reader never counted (its reply timed out and the task restarted, or it stopped) is counted by the next run, not
-- lost from the meters (found in review, 2026-12-07: DeletedUnreadReadTimeoutTest). Written only when they changed.
local function du_note_counted(marks, group, from)
  for i = 1, #marks do
    local e, u = ARGV[from + 2 * i - 2], ARGV[from + 2 * i - 1]
    if e and u and e ~= '' and u ~= '' then
      local noted = redis.call('HMGET', marks[i], '#counted-entries:' .. group, '#counted-unknown:' .. group)
      if noted[1] ~= e or noted[2] ~= u then
        redis.call('HSET', marks[i], '#counted-entries:' .. group, e, '#counted-unknown:' .. group, u)
      end
    end
  end
end

-- Checks stream keys[i] (consumer group 'group') for entries deleted before the group read them; dead-letters each
-- loss not reported before and adds it to the group's totals. keys, marks, dlqs, names: one per stream (the stream
-- key, its deleted-unread hash, its dead-letter stream key, its logical name). Returns the totals after it (du_totals).
-- Every loss is found first and every dead-letter stream it goes to checked (its type, and its entry ids: XADD * fails
-- on a stream whose ids are used up, entry-ids.lib.lua) before anything is written: a check that fails raises a
-- REJECTED error and nothing is counted or dead-lettered (before, the count was incremented and then the XADD failed,
-- at every read; found in review, 2026-12-06).
local function deleted_unread(keys, marks, dlqs, names, group, task, partition)
  local found = {}
  for i = 1, #keys do
    local ok, info = pcall(redis.call, 'XINFO', 'STREAM', keys[i])
    local added = ok and du_field(info, 'entries-added')
    -- before Redis 7.0 XINFO STREAM has no entries-added nor max-deleted-entry-id: nothing can be told
    local removed = type(added) == 'number' and added - du_field(info, 'length') or 0
    if removed > 0 then
      local g = cg_group(keys[i], group)
      local last = g and g['last-delivered-id']
      local read = g and g['entries-read']
      if last then
        if type(read) ~= 'number' and last == '0-0' then
          read = 0
        end
        local first = du_field(info, 'first-entry')
        local behind = not first or entry_id_less(last, first[1])
        local deleted = du_field(info, 'max-deleted-entry-id')
        local reported = redis.call('HGET', marks[i], group)
        local trimmed = behind and type(read) == 'number' and removed - read or 0
        local dropped = entry_id_less(last, deleted) and (not reported or entry_id_less(reported, deleted))
        if trimmed > 0 or dropped then
          local t = redis.call('TYPE', dlqs[i])['ok']
          local problem
          if t == 'stream' then
            problem = entry_id_stream_exhausted(dlqs[i])
          elseif t ~= 'none' then
            problem = 'REJECTED key ' .. dlqs[i] .. ' holds a ' .. t .. ', expected a stream (was it written by something else?)'
          end
          if problem then
            error(redis.error_reply(problem .. ' (' .. names[i] .. ' lost entries before consumer group ' .. group
                .. ' read them; they are reported once it can take entries again)'))
          end
          found[#found + 1] = { i = i, info = info, last = last, first = first, behind = behind, deleted = deleted,
                                count = trimmed > 0 and trimmed or -1 }
        end
      end
    end
  end
  for _, f in ipairs(found) do
    local i, last, first, count = f.i, f.last, f.first, f.count
    if count > 0 then
      redis.call('HINCRBY', marks[i], '#entries:' .. group, count)
    else
      redis.call('HINCRBY', marks[i], '#unknown:' .. group, 1)
    end
    redis.call('XADD', dlqs[i], '*',
        'error.class', 'EntriesDeletedBeforeRead',
        'error.message', (count > 0 and (count .. ' entries') or 'entries') .. ' of ' .. names[i] .. ' after '
            .. last .. (first and (' and before ' .. first[1]) or '')
            .. ' were deleted (MAXLEN, XTRIM or XDEL) before consumer group ' .. group .. ' read them',
        'error.reason', 'deleted_before_read',
        'error.stage', group,
        'error.stream', names[i],
        'error.partition', partition,
        'error.deleted_after_id', last,
        'error.deleted_count', count > 0 and tostring(count) or 'unknown',
        'error.attempt', '0',
        'error.task', task)
    if f.behind then
      du_skip_gap(keys[i], group, f.info)
    end
    if f.deleted ~= '0-0' then
      redis.call('HSET', marks[i], group, f.deleted)
    end
  end
  return du_totals(marks, group)
end
