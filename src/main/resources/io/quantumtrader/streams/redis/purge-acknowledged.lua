-- Purges repartition stream KEYS[1] of what its reader has processed, as Kafka Streams purges a repartition topic up
-- to the committed offset (repartition.purge.interval.ms): every entry before the oldest entry some consumer group has
-- not read yet (after its last-delivered-id; last-delivered-id itself is kept, as trim-retention.lua keeps it) or has
-- not acknowledged (its oldest pending entry) is removed (XTRIM MINID). Only when the reading group ARGV[1] exists:
-- before its sub-topology has created it, every entry is unread, and nothing is removed (a stream with no group at
-- all would otherwise lose everything). Every group bounds it, not only the reader's: a group an older release left
-- (a renumbered sub-topology) keeps what it has not read. Returns the number of entries removed.
--#include entry-ids.lib.lua
--#include consumer-groups.lib.lua
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
if not cg_group(KEYS[1], ARGV[1]) then
  return 0
end
return redis.call('XTRIM', KEYS[1], 'MINID', cg_trim_bound(KEYS[1], nil))
