package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.record.EnvelopeCodec;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes events into streams from outside a topology (data collectors, the replay, tests): wraps the value in a
 * CloudEvents envelope (DESIGN §4), picks the partition from the key, and XADDs with the catalog's MAXLEN.
 */
public final class EventPublisher {

    private static final LuaScript APPEND = LuaScript.load("append.lua");

    private final ReactiveStringRedisTemplate redis;
    private final StreamKeys keys;
    private final StreamCatalog catalog;
    private final String source;
    private final long watermarkLeadMs;
    /** The highest watermark this instance has published per stream, epoch ms: it never publishes a lower one. */
    private final Map<String, Long> published = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A publisher whose watermarks lead Redis' clock by at most
     * {@link io.quantumtrader.streams.runtime.IngestLimits#DEFAULT_STREAM_TIME_LEAD} (1 s); an application's
     * publishers take its consumers' lead instead ({@link #of}).
     *
     * @param source the producer name written in each envelope's {@code source}, e.g. {@code replay}
     */
    public EventPublisher(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog, String source) {
        this(redis, keys, catalog, source, io.quantumtrader.streams.runtime.IngestLimits.DEFAULT_STREAM_TIME_LEAD.toMillis());
    }

    private EventPublisher(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog, String source,
                           long watermarkLeadMs) {
        this.redis = redis;
        this.keys = keys;
        this.catalog = catalog;
        this.source = source;
        this.watermarkLeadMs = watermarkLeadMs;
    }

    /**
     * A publisher into the namespace and catalog of {@code config} whose watermarks lead Redis' clock by at most the
     * stream-time lead its consumers apply ({@code config.ingest().maxStreamTimeLead()}, the app's
     * {@code quantum-trader.max-stream-time-lead}).
     *
     * @param source the producer name written in each envelope's {@code source}, e.g. {@code replay}
     */
    public static EventPublisher of(ReactiveStringRedisTemplate redis, io.quantumtrader.streams.runtime.StreamsConfig config,
                                    String source) {
        return new EventPublisher(redis, new StreamKeys(config.namespace()), config.catalog(), source)
                .withWatermarkLead(config.ingest().maxStreamTimeLead());
    }

    /**
     * @param lead how far past Redis' clock (its TIME when the batch was appended) a watermark published by
     *             {@link #sendAll(Flux, int, boolean)} may go: the consumers'
     *             {@link io.quantumtrader.streams.runtime.IngestLimits#maxStreamTimeLead()}
     * @return a new publisher with that lead (it has published no watermark yet)
     * @throws IllegalArgumentException when {@code lead} is negative
     */
    public EventPublisher withWatermarkLead(java.time.Duration lead) {
        if (lead.isNegative()) {
            throw new IllegalArgumentException("watermark lead " + lead + " is negative; use 0 or more");
        }
        return new EventPublisher(redis, keys, catalog, source, lead.toMillis());
    }

    /** @return how far past Redis' clock this publisher's watermarks may go, ms */
    public long watermarkLeadMs() {
        return watermarkLeadMs;
    }

    /**
     * One event to publish.
     *
     * @param timestamp event time, epoch ms
     * @param id        the event id (also trace id and idempotency key), e.g. derived from where the event was read so
     *                  that publishing it again gives the same id; null for a random UUID
     */
    public record Event(String stream, String key, Object value, long timestamp, String id) {
        /** An event with a random id. */
        public Event(String stream, String key, Object value, long timestamp) {
            this(stream, key, value, timestamp, null);
        }
    }

    /**
     * @return the entry id; the event id (a random UUID) is also its trace id and idempotency key
     */
    public Mono<String> send(String stream, String key, Object value, long timestamp) {
        String id = UUID.randomUUID().toString();
        return sendRaw(stream, key, EnvelopeCodec.encode(stream, source, id, key, value, timestamp, id));
    }

    /** Appends raw fields (no envelope) to the partition of {@code key}; for tests of bad input. @return the entry id */
    public Mono<String> sendRaw(String stream, String key, Map<String, String> fields) {
        StreamSpec spec = catalog.spec(stream);
        String streamKey = keys.stream(stream, Partitioner.partition(key, spec.partitions()));
        XAddOptions options = spec.maxLen() > 0 ? XAddOptions.maxlen(spec.maxLen()).approximateTrimming(true) : XAddOptions.none();
        return redis.opsForStream().add(MapRecord.create(streamKey, fields), options).map(r -> r.getValue());
    }

    /**
     * Publishes events in the order given, {@code batchSize} per round trip ({@code append.lua}: one script, many
     * XADDs), so a replay is both fast and ordered per partition.
     *
     * @return how many were published; errors with {@link ScriptRefusedException} (not transient) when a stream of a
     *         batch cannot take entries (a key of another type, or a stream whose entry ids are used up): nothing of
     *         that script's batch was appended, the batches before it were
     */
    public Mono<Long> sendAll(Flux<Event> events, int batchSize) {
        return sendAll(events, batchSize, false);
    }

    /**
     * Publishes the watermark of this producer ({@code source}) for every partition of a stream: nothing with an event
     * time before {@code watermarkMs} will follow from it (DESIGN §2 "Event time across inputs"). Consumers aligning
     * several inputs wait for it. A watermark no higher than one this instance has published for the stream is not
     * published (consumers ignore a watermark that moves back): calls for one stream are expected in sequence.
     *
     * @param watermarkMs epoch ms ({@link Long#MAX_VALUE}: the input has ended)
     */
    public Mono<Void> watermark(String stream, long watermarkMs) {
        return Mono.defer(() -> {
            if (watermarkMs <= published.getOrDefault(stream, Long.MIN_VALUE)) {
                return Mono.<Void>empty();
            }
            int partitions = catalog.spec(stream).partitions();
            return Flux.range(0, partitions)
                    .concatMap(p -> redis.opsForHash().put(keys.watermarks(stream, p), source, Long.toString(watermarkMs)))
                    .then()
                    .doOnSuccess(v -> published.merge(stream, watermarkMs, Math::max));
        });
    }

    /**
     * {@link #sendAll(Flux, int)}, and with {@code watermarks} after each batch this producer's watermark for each
     * stream it has published to: the largest event time published so far (the events must come in event-time order
     * per stream, as a replay's sorted input does; a later, older event would be late for aligned consumers), capped
     * like the consumers' stream time at Redis' clock + the watermark lead ({@link #withWatermarkLead}, 1 s by default;
     * {@link #of} takes the consumers' lead). Redis' clock is its {@code TIME} when the append script ran, the clock
     * the entries' ids (the arrival the consumers cap stream time by) were made from: a producer host whose clock runs
     * ahead of Redis' cannot publish a watermark ahead of the consumers' cap. Not the ms of the ids themselves: a stream
     * that once took an entry with an explicit far-future id gives every later id that future ms (found in review,
     * 2026-12-06: the cap no longer bound, and an id at or beyond 2^63 ms gave a negative watermark). Replayed history is unaffected; an event stamped ahead moves the watermark
     * only to Redis' clock + lead, so the on-time events published after it are not late for aligned consumers. A
     * watermark never moves back: a batch whose cap or events are below the watermark this instance published before
     * publishes none ({@link #watermark}).
     * <p>
     * Before (2026-12-06) one event stamped 50 s ahead moved the watermark 50 s on (ProducerWatermarkCapTest); then the
     * cap was this host's clock + 1 s, whatever the consumers' lead and Redis' clock (ProducerWatermarkCapTest
     * {@code aProducerClockAheadOfRedis...}).
     */
    public Mono<Long> sendAll(Flux<Event> events, int batchSize, boolean watermarks) {
        return sendAll(events, batchSize, watermarks, appended -> {
        });
    }

    /**
     * {@link #sendAll(Flux, int, boolean)}, telling {@code appended} how many events each batch appended once Redis
     * has them (before its watermark): what a progress or an interruption message may count as published (counted as
     * they were handed over, a replay's count ran up to three batches ahead of Redis: review 2026-12-07).
     */
    public Mono<Long> sendAll(Flux<Event> events, int batchSize, boolean watermarks, java.util.function.IntConsumer appended) {
        java.util.function.BiFunction<List<Event>, Long, Mono<Void>> after = watermarks ? (batch, redisMs) -> {
            Map<String, Long> latest = new java.util.LinkedHashMap<>();
            long cap = redisMs > Long.MAX_VALUE - watermarkLeadMs ? Long.MAX_VALUE : redisMs + watermarkLeadMs;
            for (Event e : batch) {
                latest.merge(e.stream(), Math.min(e.timestamp(), cap), Math::max);
            }
            return Flux.fromIterable(latest.entrySet())
                    .concatMap(w -> watermark(w.getKey(), w.getValue()))
                    .then();
        } : (batch, redisMs) -> Mono.empty();
        return sendBatches(events, batchSize, (batch, redisMs) -> {
            appended.accept(batch.size());
            return after.apply(batch, redisMs);
        });
    }

    /** @param after given each batch once appended and Redis' clock then (TIME, epoch ms; the least over a cluster's slots) */
    private Mono<Long> sendBatches(Flux<Event> events, int batchSize,
                                   java.util.function.BiFunction<List<Event>, Long, Mono<Void>> after) {
        boolean cluster = RedisDeployment.isCluster(redis);
        return events.buffer(batchSize)
                .publishOn(reactor.core.scheduler.Schedulers.parallel(), 2)
                .map(batch -> {
                    // one script may touch one Redis Cluster slot only: on a cluster, one script per slot (the order
                    // within a partition, hence within a slot, is kept). Batches are encoded on a parallel thread, the
                    // next one while the previous is in flight; sent one at a time, in order (the I/O thread only
                    // writes and reads)
                    Map<Integer, CommitBatch> bySlot = new java.util.LinkedHashMap<>();
                    for (Event e : batch) {
                        StreamSpec spec = catalog.spec(e.stream());
                        String id = e.id() != null ? e.id() : UUID.randomUUID().toString();
                        String key = keys.stream(e.stream(), Partitioner.partition(e.key(), spec.partitions()));
                        bySlot.computeIfAbsent(cluster ? io.lettuce.core.cluster.SlotHash.getSlot(key) : 0, s -> new CommitBatch())
                                .add(key, spec.maxLen(), EnvelopeCodec.encode(e.stream(), source, id, e.key(), e.value(), e.timestamp(), id));
                    }
                    // the scripts are encoded here, when called (LuaScript), not when subscribed on the I/O thread
                    List<Mono<Long>> sends = bySlot.values().stream()
                            .map(appends -> APPEND.executeForLong(redis, appends.appendKeys(), appends.appendArgs())
                                    .onErrorMap(e -> RedisErrors.hasCode(e, "REJECTED"), e -> ScriptRefusedException.rejected(
                                            ScriptRefusedException.Script.APPEND, "events not published: ", e)))
                            .toList();
                    long count = batch.size();
                    return Flux.concat(sends).reduce(Long.MAX_VALUE, Math::min)
                            .flatMap(redisMs -> after.apply(batch, redisMs).thenReturn(count));
                })
                .concatMap(append -> append, 1)
                .reduce(0L, Long::sum);
    }
}
