package io.quantumtrader.streams.redis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;

/**
 * Stream administration: consumer groups (XGROUP CREATE ... MKSTREAM), task leases with fencing tokens, reclaiming
 * pending entries (XAUTOCLAIM), retention trimming (XTRIM MINID ~) and PEL summaries (XPENDING).
 */
public final class StreamAdmin {

    private static final RedisScript<Long> CREATE_GROUP = script("create-group.lua");
    private static final RedisScript<Long> ACQUIRE_LEASE = script("acquire-lease.lua");
    private static final RedisScript<Long> CLAIM_PENDING = script("claim-pending.lua");
    private static final RedisScript<Long> TRIM_RETENTION = script("trim-retention.lua");
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> GROUP_LAG =
            RedisScript.of(new ClassPathResource("io/quantumtrader/streams/redis/group-lag.lua"), List.class);

    /**
     * How far a consumer group is behind on one stream partition.
     *
     * @param pending entries delivered and not acknowledged (-1 when the group does not exist)
     * @param lag     entries not yet delivered to the group (-1 when the group does not exist)
     */
    public record GroupLag(long pending, long lag) {
        /** @return true when the group has read and acknowledged everything */
        public boolean caughtUp() {
            return pending == 0 && lag == 0;
        }
    }

    private final ReactiveStringRedisTemplate redis;

    public StreamAdmin(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Creates the group reading from the start of the stream, creating the stream; @return true when created */
    public Mono<Boolean> ensureGroup(String streamKey, String group) {
        return redis.execute(CREATE_GROUP, List.of(streamKey), List.of(group)).next().map(n -> n == 1L);
    }

    /** Issues a new fencing token for the task and makes it the owner; @return the token */
    public Mono<String> acquireLease(String leaseKey, String fenceKey) {
        return redis.execute(ACQUIRE_LEASE, List.of(leaseKey, fenceKey), List.of()).next().map(String::valueOf);
    }

    /** Claims every pending entry of the group idle at least {@code minIdle} for {@code consumer}; @return how many */
    public Mono<Long> claimPending(String streamKey, String group, String consumer, Duration minIdle) {
        return redis.execute(CLAIM_PENDING, List.of(streamKey), List.of(group, consumer, Long.toString(minIdle.toMillis())))
                .next();
    }

    /**
     * Trims entries whose id is older than {@code nowMillis - retention} (XTRIM MINID), but never an entry a consumer
     * group has not read or not acknowledged yet.
     *
     * @return entries removed
     */
    public Mono<Long> trimByRetention(String streamKey, Duration retention, long nowMillis) {
        long minId = Math.max(0, nowMillis - retention.toMillis());
        return redis.execute(TRIM_RETENTION, List.of(streamKey), List.of(Long.toString(minId))).next();
    }

    /** @return pending entries and lag of the group on the stream partition (XINFO GROUPS) */
    public Mono<GroupLag> groupLag(String streamKey, String group) {
        return redis.execute(GROUP_LAG, List.of(streamKey), List.of(group)).next()
                .map(l -> new GroupLag(((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue()));
    }

    /** @return the number of entries delivered to the group and not yet acknowledged */
    public Mono<Long> pendingCount(String streamKey, String group) {
        return redis.opsForStream().pending(streamKey, group).map(PendingMessagesSummary::getTotalPendingMessages);
    }

    /** @return the number of entries in the stream */
    public Mono<Long> length(String streamKey) {
        return redis.opsForStream().size(streamKey);
    }

    private static RedisScript<Long> script(String name) {
        return RedisScript.of(new ClassPathResource("io/quantumtrader/streams/redis/" + name), Long.class);
    }
}
