#!lua flags=allow-oom
-- Last step of a fenced read (see read-fence-begin.lua), in the same MULTI right after the XREADGROUP: when the
-- lease is not the caller's, the read is undone before any other client runs a command: the entries it delivered
-- (pending for the caller's consumer after the position noted before the read) leave the PEL, and the group's
-- last-delivered-id (and entries-read, for XINFO's lag) go back to where they were, so the task's new owner reads
-- them with '>' in order, as if the zombie had never read. Entries the caller read before it lost the lease stay
-- pending (the new owner claims them at its start).
-- KEYS as read-fence-begin.lua; ARGV[1] token, ARGV[2] group, ARGV[3] consumer, ARGV[4] the read's COUNT per stream
-- The read is undone as well when deleted-unread.lua refused to report a loss (field '#refused' in KEYS[2]), so the
-- group stays before it and the next read finds it again.
-- returns 1 when the lease is the caller's, 0 when the read was undone (the lease is not the caller's), 2 when it was
--         undone because deleted-unread.lua refused
local refused = redis.call('HGET', KEYS[2], '#refused')
if not refused and redis.call('GET', KEYS[1]) == ARGV[1] then
  return 1
end
for k = 3, #KEYS do
  local noted = redis.call('HGET', KEYS[2], KEYS[k])
  if noted then
    local sep = string.find(noted, ' ', 1, true)
    local last = string.sub(noted, 1, sep - 1)
    local read = string.sub(noted, sep + 1)
    local pending = redis.call('XPENDING', KEYS[k], ARGV[2], '(' .. last, '+', ARGV[4], ARGV[3])
    local ids = {}
    for _, e in ipairs(pending) do
      ids[#ids + 1] = e[1]
    end
    if #ids > 0 then
      redis.call('XACK', KEYS[k], ARGV[2], unpack(ids))
    end
    if read ~= '' then
      redis.call('XGROUP', 'SETID', KEYS[k], ARGV[2], last, 'ENTRIESREAD', read)
    else
      redis.call('XGROUP', 'SETID', KEYS[k], ARGV[2], last)
    end
  end
end
redis.call('DEL', KEYS[2])
return refused and 2 or 0
