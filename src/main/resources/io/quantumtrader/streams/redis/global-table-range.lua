-- One page of a global table's stream partition KEYS[1] for its replicas: XRANGE from ARGV[1] ('-', or '(' .. the last
-- id read) to the end, at most ARGV[2] entries, returned as Redis has them (each entry's fields in order, a field given
-- twice twice, the bytes as written), so that a replica can refuse what a consumer group's reader refuses
-- (RawEntryFields): Spring's XRANGE reply is a map per entry of decoded strings.
-- An entry whose names and values exceed ARGV[3] bytes comes back as the one field 'qt.oversized' with its size: a
-- replica skips it as a source refuses it (oversized), without its data ever reaching the client (a page of 1,000
-- entries of megabytes exhausted a task's heap at each start, and every task of the topology reads its global tables:
-- found in review, 2026-12-06).
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
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
return entries
