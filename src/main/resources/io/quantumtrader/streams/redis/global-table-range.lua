-- One page of a global table's stream partition KEYS[1] for its replicas: XRANGE from ARGV[1] ('-', or '(' .. the last
-- id read) to the end, at most ARGV[2] entries, returned as Redis has them (each entry's fields in order, a field given
-- twice twice, the bytes as written), so that a replica can refuse what a consumer group's reader refuses
-- (RawEntryFields): Spring's XRANGE reply is a map per entry of decoded strings.
-- An entry whose names and values exceed ARGV[3] bytes comes back as the one field 'qt.oversized' with its size: a
-- replica skips it as a source refuses it (oversized), without its data ever reaching the client (a page of 1,000
-- entries of megabytes exhausted a task's heap at each start, and every task of the topology reads its global tables:
-- found in review, 2026-12-06).
-- ARGV[4] '' to read only; else check first that the stream is still the one the replica read: 'new' (entries-added
-- not known yet) or the stream's entries-added at the replica's last check. XINFO STREAM copies the stream's first and
-- last entries into the script, whatever their size, so replicas check every few seconds, not at every read.
-- When checking a read from the start ('-'), the reply's fourth element is the number of entries deleted (MAXLEN,
-- XTRIM, XDEL) before this read: entries-added less the length (found in review, 2026-12-07: they vanished uncounted
-- for a replica started after their deletion, while one that had read them kept their values); on the last page of a
-- checked read of a running replica, the entries ever added that it neither read nor gets in this page; else -1.
-- ARGV[5] (when checking): how many entries the replica read from this stream since it read it from the start;
-- ARGV[6]: the id of the first entry it read then ('' when none); ARGV[7]: the entries it knows were deleted before it
-- read them (the largest count this check returned before, '0' when none): the entries ever added it neither read nor
-- gets never go down for one stream, so fewer on a last page means entries it read are gone: a failover to a replica
-- that lacked them, with later appends hiding the loss from the other checks (found in review, 2026-12-07: a replica
-- kept a lost entry's value while a replica started later did not have it, when the stream had deletions before).
-- Returns { reset, entries-added (-1 when not checked), entries }: reset 1 (and no entries) when the stream is no
-- longer the one the replica read: its last generated id is below the last id the replica read (ids reset: the fix
-- for ids ahead of the clock, XDEL then XSETID, docs/OPERATIONS.md), or it was deleted and created again: fewer
-- entries were ever added to it than at the replica's last check, or than the replica read plus those after its last
-- id (checked when they fit in this page: the same stream had every entry read and every entry after it added), or
-- its first entry is below the first one the replica read (the same stream's first id only moves up). The replica
-- must read the table again from the start. Before 2026-12-06 a running replica read on from its last id, missed every
-- entry below it until the task restarted, and kept a deleted stream's values; before 2026-12-07 a stream created
-- again with at least as many entries as the replica saw went unnoticed (the first check only). Not seen: a stream
-- created again with ids all above the last one read and as many entries added as the old one had (some deleted since).
--#include entry-ids.lib.lua
local added = -1
local deleted = -1
local check = ARGV[4] ~= '' and ARGV[1] ~= '-'
if ARGV[4] ~= '' then
  local lastGenerated = '0-0'
  local firstRecorded = '0-0'
  local length = 0
  added = 0
  local ok, info = pcall(redis.call, 'XINFO', 'STREAM', KEYS[1])
  if ok then
    for i = 1, #info, 2 do
      if info[i] == 'last-generated-id' then
        lastGenerated = info[i + 1]
      elseif info[i] == 'entries-added' then
        added = info[i + 1]
      elseif info[i] == 'recorded-first-entry-id' then
        firstRecorded = info[i + 1]
      elseif info[i] == 'length' then
        length = info[i + 1]
      end
    end
  end
  if ARGV[1] == '-' then
    deleted = added - length
  end
  if check and (entry_id_less(lastGenerated, string.sub(ARGV[1], 2))
      or (ARGV[4] ~= 'new' and added < tonumber(ARGV[4]))
      or (length > 0 and ARGV[6] ~= '' and entry_id_less(firstRecorded, ARGV[6]))) then
    return { 1, added, {} }
  end
end
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
if check and #entries < tonumber(ARGV[2]) and added < tonumber(ARGV[5]) + #entries + (tonumber(ARGV[7]) or 0) then
  return { 1, added, {} }
end
if check and #entries < tonumber(ARGV[2]) then
  -- the last page of a running replica: every entry ever added that it did not read nor gets now was deleted before
  -- it reached it (review 2026-12-07: entries trimmed between two of its refreshes went uncounted)
  deleted = added - tonumber(ARGV[5]) - #entries
end
local limit = tonumber(ARGV[3])
if limit then
  for _, e in ipairs(entries) do
    local fields = e[2]
    if type(fields) == 'table' then
      local bytes = 0
      for j = 1, #fields do
        bytes = bytes + #fields[j]
      end
      if bytes > limit then
        e[2] = { 'qt.oversized', tostring(bytes) }
      end
    end
  end
end
return { 0, added, entries, deleted }
