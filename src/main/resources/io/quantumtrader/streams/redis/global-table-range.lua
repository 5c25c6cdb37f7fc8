-- One page of a global table's stream partition KEYS[1] for its replicas: XRANGE from ARGV[1] ('-', or '(' .. the last
-- id read) to the end, at most ARGV[2] entries, returned as Redis has them (each entry's fields in order, a field given
-- twice twice, the bytes as written), so that a replica can refuse what a consumer group's reader refuses
-- (RawEntryFields): Spring's XRANGE reply is a map per entry of decoded strings.
return redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])
