package io.quantumtrader.streams.redis;

import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;

/**
 * Stream administration: consumer groups (XGROUP CREATE ... MKSTREAM), expiring task leases with fencing tokens, reclaiming
 * pending entries (XAUTOCLAIM), retention trimming (XTRIM MINID ~) and PEL summaries (XPENDING).
 */
public final class StreamAdmin {

    private static final RedisScript<Long> CREATE_GROUP = script("create-group.lua");
    private static final RedisScript<String> ACQUIRE_LEASE = LuaScript.springScript("acquire-lease.lua", String.class);
    /** Draws the nonce of each fencing token ({@link #acquireLease}). */
    private static final java.security.SecureRandom NONCES = new java.security.SecureRandom();
    private static final RedisScript<Long> RENEW_LEASE = script("renew-lease.lua");
    private static final RedisScript<Long> RELEASE_LEASE = script("release-lease.lua");
    private static final RedisScript<Long> ORPHANED_PENDING = script("orphaned-pending.lua");
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> CLAIM_PENDING =
            LuaScript.springScript("claim-pending.lua", List.class);

    /**
     * What {@link #claimPending} did, and where the consumer group stands after it.
     *
     * @param claimed       entries now pending for the caller
     * @param deadLettered  pending entries that had been deleted from the stream (trimmed) before anyone processed
     *                      them: Redis drops them from the PEL, so the claim dead-lettered each (error.class
     *                      {@code EntryDeletedBeforeProcessing}) in the same script instead of forgetting them
     * @param deliveredId   the group's last-delivered-id ({@code 0-0} when it has read nothing): every entry up to it
     *                      was processed by an earlier owner or is pending for the caller
     * @param newestPending the id of the group's newest pending entry, or {@code null} when nothing is pending: once
     *                      the caller has read its pending entries up to it again, it has handed on everything up to
     *                      {@code deliveredId}
     * @param deletedUnread the group's totals of entries of the stream found deleted before it read them, so far: the
     *                      task's reader counts from them ({@link PartitionReader#reportDeletedUnread})
     */
    public record Claim(long claimed, long deadLettered, String deliveredId, String newestPending,
                        DeletedUnreadTotals deletedUnread) {
    }
    private static final RedisScript<Long> TRIM_RETENTION = script("trim-retention.lua");
    private static final RedisScript<Long> PURGE_ACKNOWLEDGED = script("purge-acknowledged.lua");
    private static final RedisScript<Long> REMOVE_STALE = script("remove-stale-consumers.lua");
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> CONSUMERS =
            LuaScript.springScript("consumers.lua", List.class);

    /**
     * One consumer of a group (XINFO CONSUMERS).
     *
     * @param name    consumer name (an instance id)
     * @param pending entries it holds unacknowledged
     * @param idleMs  ms since its last read
     */
    public record ConsumerInfo(String name, long pending, long idleMs) {
    }
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> INPUT_WATERMARK =
            LuaScript.springScript("input-watermark.lua", List.class);
    private static final RedisScript<List> GROUP_LAG =
            LuaScript.springScript("group-lag.lua", List.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> GROUPS =
            LuaScript.springScript("groups.lua", List.class);

    /**
     * How far a consumer group is behind on one stream partition.
     *
     * @param pending          entries delivered and not acknowledged (-1 when the group does not exist)
     * @param lag              entries not yet delivered to the group (-1 when the group does not exist)
     * @param oldestPendingId  id of the oldest pending entry, {@code null} when nothing is pending
     * @param consumers        registered consumers of the group
     * @param lagAtLeast       true when {@code lag} is a lower bound: Redis could not tell the lag (an entry deleted
     *                         after the group's position) and counting stopped at the limit with entries left
     */
    public record GroupLag(long pending, long lag, String oldestPendingId, long consumers, boolean lagAtLeast) {

        /** An exact lag. */
        public GroupLag(long pending, long lag, String oldestPendingId, long consumers) {
            this(pending, lag, oldestPendingId, consumers, false);
        }

        /** @return how long the oldest pending entry has been in the stream, ms (0 when nothing is pending) */
        public long oldestPendingAgeMs(long nowMillis) {
            if (oldestPendingId == null) {
                return 0;
            }
            // an id the writer chose ahead of the clock (even beyond the signed range) has age 0, never an error
            return nowMillis - StreamEntry.arrivalMillis(oldestPendingId, nowMillis);
        }

        /** @return true when the group has read and acknowledged everything */
        public boolean caughtUp() {
            return pending == 0 && lag == 0;
        }
    }

    private final ReactiveStringRedisTemplate redis;

    public StreamAdmin(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * Creates the group reading from the start of the stream, creating the stream. Entries deleted from the stream
     * before the group existed are not reported as deleted before the group read them ({@link StreamKeys#deletedUnread}).
     *
     * @return true when created
     */
    public Mono<Boolean> ensureGroup(String streamKey, String group) {
        return ensureGroup(streamKey, group, ATTEMPT_TIMEOUT);
    }

    /**
     * {@link #ensureGroup(String, String)} with the caller's wait per attempt instead of {@link #ATTEMPT_TIMEOUT}: the
     * runtime's start gives it its configured attempt timeout ({@code StartupRetry}), which may be longer (before,
     * review of 2026-12-06, this script gave up after its own 5 s whatever the start allowed).
     *
     * @param attemptTimeout how long one attempt waits for its reply
     */
    public Mono<Boolean> ensureGroup(String streamKey, String group, Duration attemptTimeout) {
        return script(CREATE_GROUP, List.of(streamKey, StreamKeys.deletedUnread(streamKey)), List.of(group), attemptTimeout)
                .next().map(n -> n == 1L);
    }

    /**
     * {@link #ensureGroup(String, String, Duration)} that also records, in the same script, the source node the group
     * is made for ({@link StreamKeys#groupReaders}): when it creates the group, or when the group has no record yet (a
     * group made before the record existed); a group's record is never changed otherwise.
     *
     * @param reader the name of the source node reading the stream under {@code group}; empty records nothing (a
     *               generated source name, which moves when nodes are added before it)
     */
    public Mono<Boolean> ensureGroup(String streamKey, String group, String reader, Duration attemptTimeout) {
        return script(CREATE_GROUP, List.of(streamKey, StreamKeys.deletedUnread(streamKey), StreamKeys.groupReaders(streamKey),
                        StreamKeys.dedupeOf(streamKey, group)), List.of(group, reader), attemptTimeout)
                .next().map(n -> n == 1L);
    }

    /** What {@link #ensureGroup(String, String, String, String, Duration)} did. */
    public enum GroupCreation {
        /** The group was there. */
        EXISTED,
        /** Made, reading from the start of the stream. */
        CREATED,
        /**
         * Made, with the stream, which was gone although the task had committed entries of it (deleted, or lost in a
         * partial loss of Redis' data): what was written to it after the task's last read was lost with it, how much
         * is not known.
         */
        CREATED_STREAM_WAS_GONE,
        /**
         * The group was there past the stream's last id ({@code XSETID} set the stream's last id back: the documented
         * fix of ids used up or ahead of the clock) and was set back to that id: it would have skipped every entry
         * written since, up to where it had read.
         */
        SET_BACK
    }

    /**
     * {@link #ensureGroup(String, String, String, Duration)} for the task whose meta hash is {@code metaKey}: when the
     * group is gone (destroyed, or lost in a partial loss of Redis' data) while the stream still holds entries that
     * task's commits processed, nothing is created and it fails with a persistent {@link ScriptRefusedException} naming
     * the group, the stream and the {@code XGROUP CREATE} that resumes after them: made again from the start, the group
     * would process them again, past the dedupe window (found in review, 2026-12-07). create-group.lua says which
     * cases are not refused.
     *
     * @param metaKey the reading task's meta hash ({@link StreamKeys#meta})
     */
    public Mono<GroupCreation> ensureGroup(String streamKey, String group, String reader, String metaKey, Duration attemptTimeout) {
        return script(CREATE_GROUP, List.of(streamKey, StreamKeys.deletedUnread(streamKey), StreamKeys.groupReaders(streamKey),
                        StreamKeys.dedupeOf(streamKey, group), metaKey), List.of(group, reader), attemptTimeout)
                .next().map(n -> n == 3L ? GroupCreation.SET_BACK : n == 2L ? GroupCreation.CREATED_STREAM_WAS_GONE
                        : n == 1L ? GroupCreation.CREATED : GroupCreation.EXISTED)
                .onErrorMap(e -> RedisErrors.hasCode(e, "REJECTED"), e -> ScriptRefusedException.rejected(
                        ScriptRefusedException.Script.CREATE_GROUP, "", e));
    }

    /**
     * Takes a task's lease ({@code SET PX}) with a new fencing token when it is free or already held by
     * {@code instanceId}.
     *
     * @param leaseKey   see {@link StreamKeys#lease}
     * @param fenceKey   see {@link StreamKeys#fence}
     * @param ownerKey   see {@link StreamKeys#leaseOwner}
     * @param instanceId the caller (its consumer name)
     * @param ttl        how long the lease lives unless renewed (ms precision)
     * @return the new token, {@code <n>:<nonce>} (the task's fencing counter, and 64 random bits so that a counter
     *         Redis lost and counts again never issues a token an owner still holds); empty when another instance
     *         holds the lease
     */
    public Mono<String> acquireLease(String leaseKey, String fenceKey, String ownerKey, String instanceId, Duration ttl) {
        String nonce = Long.toHexString(NONCES.nextLong());
        return script(ACQUIRE_LEASE, List.of(leaseKey, fenceKey, ownerKey),
                List.of(instanceId, Long.toString(ttl.toMillis()), nonce))
                .next();
    }

    /**
     * Renews a lease for another {@code ttl}, only while it holds {@code token}.
     *
     * @return true when renewed; false when it expired or another token holds it (the caller is fenced)
     */
    public Mono<Boolean> renewLease(String leaseKey, String ownerKey, String token, Duration ttl) {
        return script(RENEW_LEASE, List.of(leaseKey, ownerKey), List.of(token, Long.toString(ttl.toMillis())))
                .next().map(n -> n == 1L);
    }

    /** Releases a lease, only while it holds {@code token}; @return true when released */
    public Mono<Boolean> releaseLease(String leaseKey, String ownerKey, String token) {
        return script(RELEASE_LEASE, List.of(leaseKey, ownerKey), List.of(token)).next().map(n -> n == 1L);
    }

    /** @return the instance id holding the lease, empty when the lease is free */
    public Mono<String> leaseOwner(String ownerKey) {
        return redis.opsForValue().get(ownerKey);
    }

    /**
     * @return how many of the group's entries on the stream have been pending at least {@code minIdle} for a consumer
     *         other than {@code owner}, counted up to 100 per such consumer (0 when the stream or group does not exist)
     */
    public Mono<Long> orphanedPending(String streamKey, String group, String owner, Duration minIdle) {
        return script(ORPHANED_PENDING, List.of(streamKey), List.of(group, Long.toString(minIdle.toMillis()), owner)).next();
    }

    /**
     * Claims every pending entry of the group idle at least {@code minIdle} for {@code consumer} (XAUTOCLAIM), under the
     * task's lease, dead-lettering the pending entries found deleted from the stream (claim-pending.lua), in calls of at
     * most {@link #CLAIM_CHUNK} entries, each going on where the last stopped. Made once per token: sent again (its reply
     * lost), it returns the first claim's outcome. The dead letters of the group's last claim under another token that
     * were not confirmed counted ({@link #claimCounted}) are added to this claim's.
     *
     * @param streamKey     one partition of an input stream
     * @param leaseKey      the task's lease, which must hold {@code token}
     * @param deadLetterKey the partition of the stream's dead-letter stream (same slot)
     * @param streamName    the stream's logical name, for the dead-letter entries
     * @param taskId        the task, for the dead-letter entries
     * @return what was claimed; errors with {@link TaskFencedException} when the lease is not the caller's (nothing
     *         claimed), with {@link ScriptRefusedException} (not transient) when the dead-letter stream cannot take
     *         entries: it holds another type, or its entry ids are used up (nothing claimed)
     */
    public Mono<Claim> claimPending(String streamKey, String leaseKey, String deadLetterKey, String group, String consumer,
                                    Duration minIdle, String token, String streamName, int partition, String taskId) {
        return claimPending(streamKey, leaseKey, deadLetterKey, group, consumer, minIdle, token, streamName, partition,
                taskId, CLAIM_CHUNK);
    }

    /**
     * Pending entries one call of claim-pending.lua walks at most: ~2 µs each on a 2-core machine, so a call holds
     * Redis ~40 ms and stays far inside {@link #ATTEMPT_TIMEOUT} whatever the size of the pending list. One script for
     * the whole list held Redis for seconds with millions pending, and a client timeout restarted the task into the same
     * claim for ever (found in review, 2026-12-05).
     */
    static final int CLAIM_CHUNK = 20_000;

    /**
     * Confirms that the caller counted the dead letters of its claim under {@code token}
     * ({@link Claim#deadLettered()}), so the group's next claim does not carry them again (claim-counted.lua).
     * Without it, the next claim (another token: the task restarted, perhaps because this claim's reply timed out)
     * adds them to its own: a dead letter whose count was lost with a reply is counted by the next run instead of
     * never. Idempotent; a confirmation that arrives after the next claim changes nothing (that claim carried them:
     * counted twice, never not at all).
     *
     * @param streamKey the partition claimed ({@link #claimPending}'s {@code streamKey})
     * @return whether the claim was still the group's last
     */
    public Mono<Boolean> claimCounted(String streamKey, String group, String token) {
        return script(CLAIM_COUNTED, List.of(StreamKeys.deletedUnread(streamKey)), List.of(group, token))
                .next().map(n -> n == 1L);
    }

    private static final RedisScript<Long> CLAIM_COUNTED = script("claim-counted.lua");

    /** {@link #claimPending}, walking at most {@code chunk} pending entries per call (a multiple of 1,000). */
    Mono<Claim> claimPending(String streamKey, String leaseKey, String deadLetterKey, String group, String consumer,
                             Duration minIdle, String token, String streamName, int partition, String taskId, int chunk) {
        Mono<List> call = script(CLAIM_PENDING, List.of(streamKey, leaseKey, deadLetterKey, StreamKeys.deletedUnread(streamKey)),
                        List.of(group, consumer, Long.toString(minIdle.toMillis()), token, streamName,
                                Integer.toString(partition), taskId, Integer.toString(chunk)))
                .next()
                .onErrorMap(e -> RedisErrors.hasCode(e, "FENCED"), e -> new TaskFencedException(RedisErrors.rootMessage(e)))
                // a claim that would fail the same way every time: the task stops with the reason instead of restarting
                // into it
                .onErrorMap(e -> RedisErrors.hasCode(e, "REJECTED"), e -> ScriptRefusedException.rejected(
                        ScriptRefusedException.Script.CLAIM, "pending entries of " + streamKey + " cannot be claimed: ", e));
        // each call goes on where the last stopped (kept in Redis under the token): called again until done
        return call.expand(l -> ((Number) l.get(6)).longValue() == 1L ? Mono.empty() : call)
                .last()
                .map(l -> {
                    String newest = String.valueOf(l.get(3));
                    return new Claim(((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue(),
                            String.valueOf(l.get(2)), newest.isEmpty() ? null : newest,
                            new DeletedUnreadTotals(((Number) l.get(4)).longValue(), ((Number) l.get(5)).longValue()));
                });
    }

    /**
     * Trims entries that arrived before Redis' clock ({@code TIME}) - {@code retention} (XTRIM MINID), but never an
     * entry a consumer group has not read or not acknowledged yet. An entry's arrival is the ms of its id, or, after
     * an id ahead of Redis' clock, the first pass that saw a later id ({@link StreamKeys#arrivals}): trimming goes on
     * past such an entry. Redis' clock, not this instance's: it makes the ids, so a pod whose clock is off trims the
     * same (until 2026-12-06 the instance's clock decided). Those arrival marks are discarded once the stream's ids
     * were set back ({@code XSETID}, or the stream deleted and written again): until 2026-12-06 they then trimmed every
     * entry written after, whenever it arrived (review 2026-12-06, {@code RetentionMarkAfterIdResetTest}).
     *
     * @param retention how long an entry is kept after its arrival (ms precision)
     * @return entries removed
     */
    public Mono<Long> trimByRetention(String streamKey, Duration retention) {
        return trimByRetention(streamKey, retention, "");
    }

    /**
     * {@link #trimByRetention(String, Duration)} as if Redis' clock read {@code redisNowMillis}: for tests that replay
     * a time line (ids chosen by the test); the runtime uses Redis' clock.
     *
     * @param redisNowMillis the time on Redis' time line, epoch ms
     * @return entries removed
     */
    public Mono<Long> trimByRetentionAt(String streamKey, Duration retention, long redisNowMillis) {
        return trimByRetention(streamKey, retention, Long.toString(redisNowMillis));
    }

    private Mono<Long> trimByRetention(String streamKey, Duration retention, String nowOrEmpty) {
        return script(TRIM_RETENTION, List.of(streamKey, StreamKeys.arrivals(streamKey)),
                List.of(Long.toString(retention.toMillis()), nowOrEmpty)).next();
    }

    /**
     * Purges a repartition stream partition of what its reader has processed (Kafka Streams purges repartition topics
     * up to the committed offset): entries before every consumer group's oldest pending entry and last-delivered-id
     * (kept) are removed, whatever their age; nothing when group {@code reader} does not exist yet (its entries are all
     * unread then). purge-acknowledged.lua.
     *
     * @param streamKey the repartition stream partition's key
     * @param reader    the consumer group of the sub-topology that reads it
     * @return entries removed
     */
    public Mono<Long> purgeAcknowledged(String streamKey, String reader) {
        return script(PURGE_ACKNOWLEDGED, List.of(streamKey), List.of(reader)).next();
    }

    /**
     * Most entries {@link #groupLag(String, String)} counts when Redis cannot tell a group's lag (an entry deleted
     * after the group's position): 10,000, ten times the default {@code max-lag}. Counting reads the entries in one
     * script, so it is bounded: past the limit the lag is reported as at least this many.
     */
    public static final long LAG_COUNT_LIMIT = 10_000;

    /**
     * @return pending entries and lag of the group on the stream partition (XINFO GROUPS), the lag counted up to
     *         {@link #LAG_COUNT_LIMIT} entries when Redis cannot tell it
     */
    public Mono<GroupLag> groupLag(String streamKey, String group) {
        return groupLag(streamKey, group, LAG_COUNT_LIMIT);
    }

    /**
     * @param countLimit most entries counted when Redis cannot tell the lag (at least 1); beyond it the lag is this
     *                   limit and {@link GroupLag#lagAtLeast()} is true
     * @return pending entries and lag of the group on the stream partition (XINFO GROUPS)
     */
    public Mono<GroupLag> groupLag(String streamKey, String group, long countLimit) {
        return script(GROUP_LAG, List.of(streamKey), List.of(group, Long.toString(Math.max(1, countLimit)))).next()
                .map(l -> new GroupLag(((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue(),
                        String.valueOf(l.get(2)).isEmpty() ? null : String.valueOf(l.get(2)), ((Number) l.get(3)).longValue(),
                        ((Number) l.get(4)).longValue() == 1));
    }

    /** @return the group's consumers (empty when the stream or group does not exist) */
    public Mono<List<ConsumerInfo>> consumers(String streamKey, String group) {
        return script(CONSUMERS, List.of(streamKey), List.of(group)).next()
                .map(l -> {
                    List<ConsumerInfo> out = new java.util.ArrayList<>();
                    for (int i = 0; i + 2 < l.size(); i += 3) {
                        out.add(new ConsumerInfo(String.valueOf(l.get(i)), ((Number) l.get(i + 1)).longValue(),
                                ((Number) l.get(i + 2)).longValue()));
                    }
                    return out;
                })
                .defaultIfEmpty(List.of());
    }

    /**
     * Removes consumers idle at least {@code idle} that hold no pending entries (never {@code self}); stale consumers
     * with pending entries are kept until their entries are claimed.
     *
     * @return how many were removed
     */
    public Mono<Long> removeStaleConsumers(String streamKey, String group, String self, Duration idle) {
        return script(REMOVE_STALE, List.of(streamKey), List.of(group, Long.toString(idle.toMillis()), self)).next();
    }

    /** @return the number of entries delivered to the group and not yet acknowledged */
    public Mono<Long> pendingCount(String streamKey, String group) {
        return redis.opsForStream().pending(streamKey, group).map(PendingMessagesSummary::getTotalPendingMessages);
    }

    /**
     * The consumer groups of a stream partition, whichever application created them.
     *
     * @param type   the key's Redis type: {@code stream}, {@code none} when the key does not exist, or the type a key of
     *               another kind holds ({@code string}, {@code hash}, ...: then no length and no group)
     * @param length entries in the stream (0 when it does not exist or is not a stream)
     * @param groups  names of its consumer groups
     * @param readers the source node each group was made for, as recorded ({@link StreamKeys#groupReaders}), for the
     *                groups that have a record and when it was asked for ({@link #groupsAndReaders})
     */
    public record StreamGroups(String type, long length, List<String> groups, java.util.Map<String, String> readers) {

        /** Groups without their readers. */
        public StreamGroups(String type, long length, List<String> groups) {
            this(type, length, groups, java.util.Map.of());
        }

        /** @return whether the key exists and holds another type than a stream */
        public boolean anotherType() {
            return !"stream".equals(type) && !"none".equals(type);
        }
    }

    /**
     * @return the key's type, the stream's length and consumer groups (TYPE, XLEN, XINFO GROUPS); a key of another type
     *         is not an error: {@link StreamGroups#anotherType()}
     */
    public Mono<StreamGroups> groups(String streamKey) {
        return groups(streamKey, ATTEMPT_TIMEOUT);
    }

    /**
     * {@link #groups(String)}, each attempt failing after {@code attemptTimeout} (a start's step gets the start's
     * attempt timeout, {@code StartupRetry}, not this class' own)
     */
    public Mono<StreamGroups> groups(String streamKey, Duration attemptTimeout) {
        return groups(List.of(streamKey), attemptTimeout);
    }

    /**
     * {@link #groups(String, Duration)} with the source node each group was made for ({@link StreamKeys#groupReaders},
     * read in the same script: one round trip, one slot)
     */
    public Mono<StreamGroups> groupsAndReaders(String streamKey, Duration attemptTimeout) {
        return groups(List.of(streamKey, StreamKeys.groupReaders(streamKey)), attemptTimeout);
    }

    private Mono<StreamGroups> groups(List<String> keys, Duration attemptTimeout) {
        return script(GROUPS, keys, List.of(), attemptTimeout).next()
                .map(l -> {
                    int n = ((Number) l.get(2)).intValue();
                    List<String> names = l.subList(3, 3 + n).stream().map(String::valueOf).toList();
                    java.util.Map<String, String> readers = new java.util.TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        String reader = String.valueOf(l.get(3 + n + i));
                        if (!reader.isEmpty()) {
                            readers.put(names.get(i), reader);
                        }
                    }
                    return new StreamGroups(String.valueOf(l.get(0)), ((Number) l.get(1)).longValue(), names,
                            java.util.Map.copyOf(readers));
                });
    }

    /** @return the number of entries in the stream */
    public Mono<Long> length(String streamKey) {
        return redis.opsForStream().size(streamKey);
    }

    /**
     * How long one attempt of a script of this class waits for its reply. Without it a reply that never came (a
     * connection gone silent, a master that died without closing it) held a task's lease acquire or restore for the
     * client's command timeout, 60 s, several lease TTLs (found in review, 2026-12-05); now the task restarts and tries
     * again. Every script of this class is bounded work (a PEL claim walks at most {@link #CLAIM_CHUNK} entries per
     * call and is called again until done) and may be sent again.
     */
    public static final Duration ATTEMPT_TIMEOUT = PartitionReader.READ_TIMEOUT;

    /**
     * Runs a script of this class, sent again while its slot is being migrated ({@link TryAgainRetry}), each attempt
     * failing with a {@link java.util.concurrent.TimeoutException} after {@link #ATTEMPT_TIMEOUT}.
     */
    private <T> Flux<T> script(RedisScript<T> script, List<String> keys, List<String> args) {
        return script(script, keys, args, ATTEMPT_TIMEOUT);
    }

    /** {@link #script(RedisScript, List, List)}, each attempt failing after {@code attemptTimeout}. */
    private <T> Flux<T> script(RedisScript<T> script, List<String> keys, List<String> args, Duration attemptTimeout) {
        return TryAgainRetry.retried(redis.execute(script, keys, args), attemptTimeout);
    }

    private static RedisScript<Long> script(String name) {
        return LuaScript.springScript(name, Long.class);
    }

    /**
     * One read of an input's watermark: the id of the partition's last entry, its producers' watermarks (epoch ms,
     * from {@link StreamKeys#watermarks}) and their hold marks ({@link StreamKeys#holdMarks}), read atomically
     * (input-watermark.lua; every key in the partition's slot).
     *
     * @return the read ({@code 0-0} as last entry id when the partition is empty)
     */
    @SuppressWarnings("unchecked")
    public Mono<WatermarkRead> inputWatermark(String watermarksKey, String streamKey, String holdMarksKey) {
        // a reply that never comes would hold the task's alignment step for good: fail it (the task restarts)
        return script(INPUT_WATERMARK, List.of(watermarksKey, streamKey, holdMarksKey), List.of()).next()
                .map(reply -> WatermarkRead.of(((List<Object>) reply).stream().map(String::valueOf).toList()));
    }
}
