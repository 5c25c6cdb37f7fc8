package io.quantumtrader.streams.redis;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a task's outbox entries to their streams on a Redis Cluster (DESIGN §2 "Redis Cluster"). A commit script may
 * touch one slot only, so the commit writes the outputs bound for other slots into the task's outbox (a stream in
 * its own slot, atomically with state, own-slot outputs and acknowledgements); this forwarder then appends them, one
 * script per target hash tag ({@code forward.lua}; a partition's keys share one tag, so one slot), and deletes them
 * from the outbox.
 *
 * <p>Exactly once: the target hash tag's {@code forwarded} hash records per producer the last outbox entry id it
 * appended, and outbox ids only grow, so a forward repeated after a crash (between the append and the outbox deletion,
 * or between two targets) drops what was appended before. Several forwarders of one outbox at once (a task and its successor) are
 * safe for the same reason. Per target partition, entries keep the order of the outbox, i.e. of the commits.
 */
public final class OutboxForwarder {

    private static final LuaScript FORWARD = LuaScript.load("forward.lua");
    private static final LuaScript SYNC = LuaScript.load("outbox-sync.lua");
    /** Outbox entries read per round trip. */
    static final int PAGE = 500;

    private final ReactiveStringRedisTemplate redis;
    private final ForwardHook hook;
    private final OrderedScriptConnection connection;
    private final CommitDurability durability;

    public OutboxForwarder(ReactiveStringRedisTemplate redis) {
        this(redis, ForwardHook.NONE, null, new CommitDurability(null, 0, java.time.Duration.ZERO));
    }

    /**
     * @param hook       runs before each step (fault injection in tests)
     * @param connection the commit connection, or null for the template: appends go on it so that the
     *                   {@code durability} WAIT after each target slot's append covers it
     * @param durability replicas that must hold a target slot's append before the entries leave the outbox (a
     *                   failover of the target's master then cannot lose them)
     */
    public OutboxForwarder(ReactiveStringRedisTemplate redis, ForwardHook hook, OrderedScriptConnection connection,
                           CommitDurability durability) {
        this.redis = redis;
        this.hook = hook;
        this.connection = connection;
        this.durability = durability;
    }

    /**
     * What one {@link #forward} did.
     *
     * @param read       outbox entries read (and deleted from the outbox)
     * @param appended   entries appended to their target streams
     * @param watermarks of the entries read, watermarks (set in their target hash, not appended; a repeated one is
     *                   set again, harmlessly)
     */
    public record Forwarded(long read, long appended, long watermarks) {
        /**
         * @return outputs that had been appended before (dropped as repeats); watermarks are not outputs (counting them
         *         here made every forwarded watermark look like a repeat: found in review, 2026-12-05)
         */
        public long repeats() {
            return read - watermarks - appended;
        }
    }

    /**
     * Forwards everything in the outbox, page by page, oldest first.
     *
     * @param outboxKey the task's outbox ({@link StreamKeys#outbox})
     * @return what was forwarded; errors with {@link ScriptRefusedException} when a target key is not a stream (nothing
     *         of that slot was written) or with the Redis error (the next forward repeats the rest)
     */
    public Mono<Forwarded> forward(String outboxKey) {
        return forward(outboxKey, Progress.NONE);
    }

    /**
     * Counts a forward as it goes, so a forward that fails partway has counted what it did: the entries a target's
     * script appended as soon as it returns, a page's repeats once the page has left the outbox. Found in review
     * (2026-12-07): counted from the total at the end, a forward that failed after appending (a lost connection on the
     * outbox cleanup) counted none of its outputs as forwarded, the next forward counted them as repeats only, and the
     * pages a failed forward had already deleted were counted nowhere ({@code ForwardFailureCountTest}).
     */
    public interface Progress {
        /** Counts nothing. */
        Progress NONE = new Progress() {
            @Override
            public void appended(long entries) {
            }

            @Override
            public void repeats(long entries) {
            }
        };

        /** @param entries outputs one target hash tag's script appended to their streams (called as it returns) */
        void appended(long entries);

        /** @param entries outputs of a page that had been appended before (dropped as repeats), once the page left the outbox */
        void repeats(long entries);
    }

    /**
     * As {@link #forward(String)}, telling {@code progress} what it does as it goes.
     *
     * @param outboxKey the task's outbox ({@link StreamKeys#outbox})
     * @param progress  told each target's appended outputs and each page's repeats as they are known
     * @return what was forwarded in all
     */
    public Mono<Forwarded> forward(String outboxKey, Progress progress) {
        return page(outboxKey, new Forwarded(0, 0, 0), progress);
    }

    private Mono<Forwarded> page(String outboxKey, Forwarded sofar, Progress progress) {
        return redis.opsForStream().range(outboxKey, Range.unbounded(), Limit.limit().count(PAGE))
                .collectList()
                .flatMap(entries -> {
                    if (entries.isEmpty()) {
                        return Mono.just(sofar);
                    }
                    // by the targets' hash tag, not their slot: a forward's mark lives in the forwarded hash of its group's
                    // tag, and two tags can share a slot ({ns.2} and {ns.14} of namespace fc343): grouped by slot, the mark
                    // of one producer and slot moved between the two hashes with what a page began with, and an entry
                    // forwarded under one was forwarded again under the other (found in review, 2026-12-07:
                    // ForwardMarkSlotCollisionTest)
                    Map<String, List<MapRecord<String, Object, Object>>> byTag = new LinkedHashMap<>();
                    for (MapRecord<String, Object, Object> e : entries) {
                        String target = String.valueOf(e.getValue().get(CommitBatch.OUTBOX_TARGET));
                        byTag.computeIfAbsent(hashTag(target), s -> new ArrayList<>()).add(e);
                    }
                    String[] ids = entries.stream().map(e -> e.getId().getValue()).toArray(String[]::new);
                    long watermarks = entries.stream()
                            .filter(e -> CommitBatch.OUTBOX_HASH_FIELD.equals(String.valueOf(e.getValue().get(CommitBatch.OUTBOX_MAXLEN)))).count();
                    List<List<MapRecord<String, Object, Object>>> slots = new ArrayList<>(byTag.values());
                    // target hash tags are independent (one mark each): appended in parallel, one round trip in all
                    return producerDurable(outboxKey).thenMany(Flux.range(0, slots.size()))
                            .flatMap(i -> hook.before(outboxKey, i, slots.size()).then(forwardSlot(outboxKey, slots.get(i)))
                                    .doOnNext(progress::appended))
                            .reduce(0L, Long::sum)
                            .flatMap(appended -> hook.before(outboxKey, slots.size(), slots.size())
                                    .then(redis.opsForStream().delete(outboxKey, ids))
                                    .doOnNext(deleted -> progress.repeats(entries.size() - watermarks - appended))
                                    .thenReturn(new Forwarded(sofar.read() + entries.size(), sofar.appended() + appended,
                                            sofar.watermarks() + watermarks)))
                            .flatMap(f -> entries.size() == PAGE ? page(outboxKey, f, progress) : Mono.just(f));
                });
    }

    /**
     * With WAIT ({@link CommitDurability#waitsForReplicas()}): completes once the replicas of the outbox's master hold
     * every commit whose outputs the page just read holds (a write in the outbox's slot, then WAIT); errors with
     * {@link CommitDurability.CommitNotReplicatedException} when they do not in time (the run restarts and forwards
     * again). Found in review (2026-12-07): a commit whose own WAIT failed, applied on the master alone, was forwarded by
     * the next run; the producer's master then failed over to its replica without that commit, its inputs were
     * processed again and their outputs forwarded a second time (240 outputs for 200 records,
     * {@code ForwardOfUnreplicatedCommitTest}). Without WAIT: at once.
     */
    private Mono<Void> producerDurable(String outboxKey) {
        if (!durability.waitsForReplicas() || connection == null) {
            return Mono.empty();
        }
        return durability.durable(SYNC.executeForLong(connection, List.of(outboxKey + ":sync"), List.of())).then();
    }

    /**
     * @return the part of {@code key} Redis Cluster hashes for its slot: the text between the first '{' and the first
     *         '}' after it when that is not empty, else the whole key (the cluster specification's hash tag rule)
     */
    static String hashTag(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return key.substring(open + 1, close);
            }
        }
        return key;
    }

    private Mono<Long> forwardSlot(String producer, List<MapRecord<String, Object, Object>> entries) {
        List<String> keys = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        String first = String.valueOf(entries.get(0).getValue().get(CommitBatch.OUTBOX_TARGET));
        keys.add(StreamKeys.forwarded(first));
        List<String> args = new ArrayList<>();
        args.add(producer);
        args.add(Integer.toString(entries.size()));
        for (MapRecord<String, Object, Object> e : entries) {
            Map<Object, Object> fields = e.getValue();
            String target = String.valueOf(fields.get(CommitBatch.OUTBOX_TARGET));
            int k = index.computeIfAbsent(target, t -> {
                keys.add(t);
                return keys.size() - 1;
            });
            args.add(e.getId().getValue());
            args.add(Integer.toString(k));
            args.add(String.valueOf(fields.getOrDefault(CommitBatch.OUTBOX_MAXLEN, "0")));
            int countIndex = args.size();
            args.add("");
            int n = 0;
            for (Map.Entry<Object, Object> f : fields.entrySet()) {
                String name = String.valueOf(f.getKey());
                if (name.equals(CommitBatch.OUTBOX_TARGET) || name.equals(CommitBatch.OUTBOX_MAXLEN)) {
                    continue;
                }
                args.add(name);
                args.add(String.valueOf(f.getValue()));
                n += 2;
            }
            args.set(countIndex, Integer.toString(n));
        }
        // this call's nonce: a call Lettuce sends again after its connection was lost (Redis ran it, the reply was lost)
        // returns what the first run appended, instead of 0 with every entry counted as a repeat (found in review,
        // 2026-12-07: ForwardLostReplyCountTest, 388 of 408 forwards counted)
        args.add(Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
        return durability.durable(connection != null ? FORWARD.executeForLong(connection, keys, args)
                        : FORWARD.executeForLong(redis, keys, args))
                .onErrorMap(err -> RedisErrors.hasCode(err, "REJECTED"), err -> ScriptRefusedException.rejected(
                        ScriptRefusedException.Script.FORWARD, "outbox " + producer + " cannot be forwarded: ", err));
    }
}
