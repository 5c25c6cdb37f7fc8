package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.quantumtrader.streams.redis.RawEntryFields;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisElementReader;
import org.springframework.data.redis.serializer.RedisElementWriter;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's replica of a global table: every partition of the table's stream read from the start (XRANGE, no
 * consumer group), latest value per key, {@code null} deletes. {@link #refresh()} reads what was appended since the
 * last refresh; the task calls it before every batch. Read-only for processors. An undecodable entry, or one a source
 * would refuse (oversized, another stream's or version's type, a bad event id or subject:
 * {@link IngestGuard#checkEnvelope}; a subject of another partition: {@link IngestGuard#checkPartition}; a field twice or bytes that are not UTF-8: {@link RawEntryFields}), is skipped with
 * a warning naming the reason (the first few of a read, then their number: {@link SkippedEntryWarnings}), and counted
 * under that reason (it is the producer's dead letter, not this table's):
 * the {@code reason} tag of {@code qt.streams.global.entries.skipped} is a source's for a refused entry
 * ({@link RejectedEntryException.Reason#tag()}, e.g. {@code invalid_envelope}), {@value #NO_SUBJECT} for an entry
 * without a subject and {@code invalid_value} for data that does not decode to the table's value type.
 */
public final class GlobalStoreReplica implements KeyValueStore<String, Object> {

    private static final Logger log = LoggerFactory.getLogger(GlobalStoreReplica.class);
    private static final int PAGE = 1000;
    /** XRANGE as Redis replies it (fields in order, repeated ones kept, bytes as written): global-table-range.lua. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RANGE = io.quantumtrader.streams.redis.LuaScript.springScript("global-table-range.lua", List.class);
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisElementReader<List> RAW = (RedisElementReader) RedisElementReader.from(RedisSerializer.byteArray());

    private final GlobalStoreSpec spec;
    private final ReactiveStringRedisTemplate redis;
    private final List<String> partitionKeys;
    private final Map<String, String> lastIds = new HashMap<>();
    /** Per partition key, the stream's entries-added at the last reset check (fewer later: deleted and created again). */
    private final Map<String, Long> entriesAdded = new HashMap<>();
    /**
     * Per partition key, how many entries were read since the stream was read from the start: the same stream had at
     * least these and those after the last id added ({@code global-table-range.lua}, found in review, 2026-12-07: a
     * stream deleted and created again with at least as many entries went unnoticed).
     */
    private final Map<String, Long> entriesRead = new HashMap<>();
    /** Per partition key, the id of the first entry read from the start: the same stream's first id never goes below it. */
    private final Map<String, String> firstIds = new HashMap<>();
    /** Per partition key, {@link System#nanoTime()} of the last reset check. */
    private final Map<String, Long> lastResetCheck = new HashMap<>();
    /**
     * How often a partition is checked for a reset of its stream ({@code global-table-range.lua}), ns: the check's
     * XINFO STREAM copies the stream's first and last entries into the script, whatever their size, and the task
     * refreshes its replicas before every batch.
     */
    private final long resetCheckNanos;

    /**
     * How long one page's read (a script call of at most {@link #PAGE} entries, and applying them) may take before the
     * refresh fails with {@link GlobalRefreshStalledException}, by default: 60 s. A stall, not a slow large table: the
     * bound applies to each page, not to the whole read.
     */
    static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);
    private final Duration pageTimeout;

    /** {@link #resetCheckNanos} by default: 5 s. */
    static final Duration RESET_CHECK_INTERVAL = Duration.ofSeconds(5);
    private final Map<String, Object> values = new HashMap<>();
    /**
     * Events applied (stream, source, id) within the dedupe window, at most {@link IngestLimits#dedupeMaxIds()}, by
     * their entries' arrival (entry id ms), as a source's {@link DedupeCache}: a producer's retry of an event appended
     * after newer ones is skipped, as a {@code table()} of the stream skips it (found in review, 2026-12-07: the replica
     * applied it again, and an older value replaced a newer one in the global table only), and one appended after the
     * window is applied, as {@code table()} applies it (until 2026-12-07 the replica kept ids by count alone and skipped
     * it, found in review)
     */
    private DedupeCache appliedEvents;
    private final long dedupeWindowMs;
    private final long dedupeMaxIds;
    /** The skip reason of an event applied before. */
    public static final String DUPLICATE = "duplicate";
    private final SkipListener skipped;
    private final IngestGuard guard;
    /** Entries larger than this come back from Redis as {@link #OVERSIZED_FIELD} and their size only. */
    private final int maxEntryBytes;
    /**
     * The one field of an entry Redis found larger than the limit ({@code global-table-range.lua}), its value the
     * entry's size in bytes.
     */
    static final String OVERSIZED_FIELD = "qt.oversized";
    private final SkippedEntryWarnings warnings;

    /**
     * The {@code reason} of an entry skipped because it has no subject: no key to put it under (the engine's tag for a
     * record without a key, as in {@code qt.streams.records.dropped}).
     */
    public static final String NO_SUBJECT = "null_key";

    /** Told of each entry a replica skips. */
    @FunctionalInterface
    public interface SkipListener {
        /**
         * @param store  the global table
         * @param entry  {@code <stream key>/<entry id>}
         * @param reason why: a source's refusal reason ({@link RejectedEntryException.Reason#tag()}), {@value GlobalStoreReplica#NO_SUBJECT}
         *               , {@code invalid_value} or {@value GlobalStoreReplica#DUPLICATE}
         */
        void skipped(String store, String entry, String reason);

        /**
         * Told when a read from the start of a stream partition finds entries deleted (MAXLEN, XTRIM, XDEL) before it
         * read them: a replica that read them before holds their values, this one does not. By default
         * {@link #skipped} once per entry, reason {@value GlobalStoreReplica#DELETED_BEFORE_READ}, each named
         * {@code <stream key>/deleted-before-read#<n>}.
         *
         * @param partitionKey the stream partition's Redis key
         * @param count        how many entries, in all, were deleted from it before the read (entries-added less length)
         */
        default void deletedBeforeRead(String store, String partitionKey, long count) {
            for (long i = 0; i < count; i++) {
                skipped(store, partitionKey + "/deleted-before-read#" + i, DELETED_BEFORE_READ);
            }
        }

        /**
         * Told when a replica found its stream reset (its ids went back, or it was deleted and created again) and reads
         * the table again from the start. By default nothing (the replica logs a warning either way).
         *
         * @param store  the global table
         * @param stream the table's stream (logical name)
         */
        default void reset(String store, String stream) {
        }

        /**
         * @return a listener counting in {@code metrics}: {@code qt.streams.global.entries.skipped} by reason, deleted
         *         entries once however many replicas report them ({@link io.quantumtrader.streams.metrics.StreamsMetrics#globalEntriesDeletedBeforeRead}),
         *         and each replica's reset ({@link io.quantumtrader.streams.metrics.StreamsMetrics#globalTableReset})
         */
        static SkipListener metered(io.quantumtrader.streams.metrics.StreamsMetrics metrics) {
            return new SkipListener() {
                @Override
                public void skipped(String store, String entry, String reason) {
                    metrics.globalEntrySkipped(store, entry, reason);
                }

                @Override
                public void deletedBeforeRead(String store, String partitionKey, long count) {
                    metrics.globalEntriesDeletedBeforeRead(store, partitionKey, count);
                }

                @Override
                public void reset(String store, String stream) {
                    metrics.globalTableReset(store, 1);
                }
            };
        }
    }

    /** The skip reason of entries deleted from the stream before a replica read them (counted, not named one by one). */
    public static final String DELETED_BEFORE_READ = "deleted_before_read";
    /** Per partition key, the entries deleted before the read reported last (each larger count reported once). */
    private final Map<String, Long> reportedDeleted = new HashMap<>();

    GlobalStoreReplica(GlobalStoreSpec spec, ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog) {
        this(spec, redis, keys, catalog, (store, entry, reason) -> {
        });
    }

    /**
     * @param skipped told of each entry the replica skips; every run's replica reads the whole stream again, so it
     *                hears of the same entry again
     */
    GlobalStoreReplica(GlobalStoreSpec spec, ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog,
                       SkipListener skipped) {
        this(spec, redis, keys, catalog, skipped, IngestLimits.defaults());
    }

    /**
     * @param limits what the task's sources accept: an entry outside them is skipped (and {@code skipped} told), as
     *               the ingest guard refuses it at a source ({@link IngestGuard#checkEnvelope})
     */
    GlobalStoreReplica(GlobalStoreSpec spec, ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog,
                       SkipListener skipped, IngestLimits limits) {
        this(spec, redis, keys, catalog, skipped, limits, RESET_CHECK_INTERVAL);
    }

    /** @param resetCheck how often a partition is checked for a reset of its stream ({@link #RESET_CHECK_INTERVAL}) */
    GlobalStoreReplica(GlobalStoreSpec spec, ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog,
                       SkipListener skipped, IngestLimits limits, Duration resetCheck) {
        this(spec, redis, keys, catalog, skipped, limits, resetCheck, PAGE_TIMEOUT);
    }

    /**
     * @param resetCheck  how often a partition is checked for a reset of its stream ({@link #RESET_CHECK_INTERVAL})
     * @param pageTimeout how long one page's read may take before the refresh fails ({@link #PAGE_TIMEOUT})
     */
    GlobalStoreReplica(GlobalStoreSpec spec, ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog,
                       SkipListener skipped, IngestLimits limits, Duration resetCheck, Duration pageTimeout) {
        this(spec, redis, keys, catalog, skipped, limits, resetCheck, pageTimeout, java.util.Set.of(), java.util.Set.of());
    }

    /**
     * As a task's replica: its sources' exemptions from the partition rule ({@link IngestGuard#checkPartition}).
     *
     * @param partitionedByValue streams whose writer picks the partition by value (no partition check on them)
     * @param windowedKeys       streams a windowed table's sink writes (a windowed key accepted in its key's partition)
     */
    GlobalStoreReplica(GlobalStoreSpec spec, ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog,
                       SkipListener skipped, IngestLimits limits, Duration resetCheck, Duration pageTimeout,
                       java.util.Set<String> partitionedByValue, java.util.Set<String> windowedKeys) {
        this.pageTimeout = pageTimeout;
        this.resetCheckNanos = resetCheck.toNanos();
        this.guard = new IngestGuard(limits, stream -> catalog.spec(stream).partitions(), partitionedByValue, windowedKeys);
        this.maxEntryBytes = limits.maxEntryBytes();
        this.dedupeMaxIds = limits.dedupeMaxIds();
        this.dedupeWindowMs = limits.dedupeWindow().toMillis();
        this.appliedEvents = new DedupeCache(dedupeWindowMs, dedupeMaxIds);
        this.spec = spec;
        this.redis = redis;
        this.skipped = skipped;
        this.warnings = new SkippedEntryWarnings(log, spec.name(), spec.stream());
        int partitions = catalog.spec(spec.stream()).partitions();
        this.partitionKeys = java.util.stream.IntStream.range(0, partitions).mapToObj(p -> keys.stream(spec.stream(), p)).toList();
    }

    /**
     * Applies every entry appended since the last refresh: one read, whose skipped entries are logged as
     * {@link SkippedEntryWarnings} limits (the first few, then their number), each told to the listener. A partition
     * whose stream is no longer the one read before ({@code global-table-range.lua}: its ids reset below the last one
     * read, or deleted and created again: fewer entries ever added than read, or a first entry below the first read)
     * makes the replica read the whole table again, with a warning: a running
     * replica missed every entry below its last id until the task restarted, and kept a deleted stream's values
     * (found in review, 2026-12-06: {@code GlobalTableStreamResetTest}). Checked every {@link #RESET_CHECK_INTERVAL} per
     * partition, not at every read (the check copies the stream's first and last entries).
     */
    Mono<Void> refresh() {
        return readAll()
                .flatMap(reset -> {
                    if (!reset) {
                        return Mono.just(false);
                    }
                    log.warn("global table '{}': stream '{}' was reset (its ids went back, or it was deleted and "
                            + "created again); reading the table again from the start", spec.name(), spec.stream());
                    skipped.reset(spec.name(), spec.stream());
                    values.clear();
                    lastIds.clear();
                    appliedEvents = new DedupeCache(dedupeWindowMs, dedupeMaxIds);
                    entriesAdded.clear();
                    entriesRead.clear();
                    firstIds.clear();
                    lastResetCheck.clear();
                    reportedDeleted.clear();
                    return readAll();   // a reset again within this read waits for the next refresh
                })
                .then()
                // before the end is signalled (doFinally ran after it: the task's next step could log first)
                .doOnTerminate(warnings::endOfRead)
                .doOnCancel(warnings::endOfRead);
    }

    /** @return whether a partition's stream was found reset (its entries not read) */
    private Mono<Boolean> readAll() {
        return Flux.fromIterable(partitionKeys).concatMap(this::refresh).reduce(false, (a, b) -> a || b);
    }

    /** What one page's read found. */
    private enum Page {
        /** A full page: more may follow. */
        MORE,
        /** The last page (fewer than {@link #PAGE} entries). */
        LAST,
        /** The stream was found reset (nothing read from it). */
        RESET
    }

    /**
     * Reads a partition page after page, each page's read subscribed again by {@code repeat} when the previous one
     * completed: the stack depth stays the same whatever the number of pages. Found in review (2026-12-07): each page's
     * read was a flatMap nested in the previous page's, the stack of the Lettuce I/O thread delivering the replies grew
     * ~2 frames per page, a large table overflowed it, and the swallowed StackOverflowError left the refresh (and the
     * task, before its first batch) waiting for ever. A page whose reply does not come within {@link #pageTimeout}
     * fails the refresh ({@link GlobalRefreshStalledException}): the task's run fails and restarts.
     *
     * @return true when the partition's stream was found reset (nothing read from it)
     */
    private Mono<Boolean> refresh(String key) {
        return Mono.defer(() -> page(key))
                .repeat()
                .timeout(pageTimeout, Mono.error(() -> new GlobalRefreshStalledException(spec.name(), key, pageTimeout)))
                .takeUntil(page -> page != Page.MORE)
                .last(Page.LAST)
                .map(page -> page == Page.RESET);
    }

    /** Reads and applies one page of a partition, from the last id read. */
    private Mono<Page> page(String key) {
        int partition = partitionKeys.indexOf(key);
        String last = lastIds.get(key);
        Long added = entriesAdded.get(key);
        long now = System.nanoTime();
        // at the first read (it records entries-added to compare with), then every resetCheckNanos
        Long checked = lastResetCheck.get(key);
        boolean check = checked == null || now - checked >= resetCheckNanos;
        if (check) {
            lastResetCheck.put(key, now);
        }
        return redis.execute(RANGE, List.of(key), List.of(last == null ? "-" : "(" + last, Integer.toString(PAGE),
                                Integer.toString(maxEntryBytes), !check ? "" : added == null ? "new" : Long.toString(added),
                                Long.toString(entriesRead.getOrDefault(key, 0L)), firstIds.getOrDefault(key, ""),
                                Long.toString(reportedDeleted.getOrDefault(key, 0L))),
                        RedisElementWriter.from(RedisSerializer.string()), RAW)
                .next()
                .flatMap(reply -> {
                    if (((Number) reply.get(0)).longValue() == 1) {
                        return Mono.just(Page.RESET);
                    }
                    long deleted = reply.size() > 3 ? ((Number) reply.get(3)).longValue() : -1;
                    if (deleted > reportedDeleted.getOrDefault(key, 0L)) {
                        reportedDeleted.put(key, deleted);
                        log.warn("global table '{}': {} entries of {} were deleted (MAXLEN, XTRIM or XDEL) before this "
                                + "replica read them; a replica that read them before holds their values, this one does not "
                                + "(counted: qt.streams.global.entries.skipped, reason " + DELETED_BEFORE_READ + ")",
                                spec.name(), deleted, key);
                        skipped.deletedBeforeRead(spec.name(), key, deleted);
                    }
                    long addedNow = ((Number) reply.get(1)).longValue();
                    if (addedNow >= 0) {
                        entriesAdded.put(key, addedNow);
                    }
                    List<?> entries = (List<?>) reply.get(2);
                    for (Object e : entries) {
                        List<?> entry = (List<?>) e;
                        String id = new String((byte[]) entry.get(0), java.nio.charset.StandardCharsets.US_ASCII);
                        lastIds.put(key, id);
                        firstIds.putIfAbsent(key, id);
                        entriesRead.merge(key, 1L, Long::sum);
                        @SuppressWarnings("unchecked")
                        List<byte[]> fieldsAndValues = entry.get(1) == null ? List.of() : (List<byte[]>) entry.get(1);
                        RawEntryFields.Decoded decoded = RawEntryFields.decode(fieldsAndValues);
                        String reason = applyOrSkip(decoded.fields(), decoded.defect(), partition,
                                io.quantumtrader.streams.redis.StreamEntry.arrivalMillis(id, System.currentTimeMillis()));
                        if (reason != null) {
                            skipped.skipped(spec.name(), key + "/" + id, reason);
                        }
                    }
                    return Mono.just(entries.size() == PAGE ? Page.MORE : Page.LAST);
                });
    }

    /** @return a replica fed only through {@link #apply} (the in-memory test driver) */
    public static GlobalStoreReplica inMemory(GlobalStoreSpec spec) {
        return new GlobalStoreReplica(spec, null, new StreamKeys("memory"), StreamCatalog.defaults());
    }

    /**
     * Applies one stream entry: latest value per subject, {@code null} data deletes.
     *
     * @return false when the entry was skipped: a source would refuse it ({@link IngestGuard#checkEnvelope}), it has no
     *         subject (no key to put it under) or cannot be decoded (logged as a warning; the runtime counts it in
     *         {@code qt.streams.global.entries.skipped{store, reason}})
     */
    public boolean apply(Map<String, String> fields) {
        return apply(fields, null);
    }

    /**
     * {@link #apply(Map)} of an entry read from Redis with what its reading found wrong with it
     * ({@link RawEntryFields}: a field twice, bytes that are not UTF-8); such an entry is skipped as a source refuses it,
     * {@code invalid_envelope}, before 2026-12-06 the replica took the last of two values and U+FFFD for the bytes.
     *
     * @param defect null when nothing was found wrong
     * @return false when the entry was skipped
     */
    public boolean apply(Map<String, String> fields, String defect) {
        String reason = applyOrSkip(fields, defect);
        warnings.endOfRead();   // an entry applied on its own is a read of its own
        return reason == null;
    }

    /**
     * {@link #apply(Map, String)}.
     *
     * @return null when the entry was applied, else the reason it was skipped ({@link SkipListener#skipped})
     */
    String applyOrSkip(Map<String, String> fields, String defect) {
        return applyOrSkip(fields, defect, -1, System.currentTimeMillis());
    }

    /**
     * {@link #applyOrSkip(Map, String)} of an entry read from a partition: one whose subject belongs to another
     * partition is skipped as a source refuses it ({@code wrong_partition}, {@link IngestGuard#checkPartition}, with a
     * source's exemptions). Found in review (2026-12-07): the replica applied it, and a replica reading the stream
     * whole (partition 0, then 1) and one reading it as it grew applied a key's values in different orders.
     *
     * @param partition the partition the entry was read from, -1 when not known (not checked)
     * @param arrivalMs the entry's arrival for the dedupe window, epoch ms (its id's ms, at most now)
     */
    String applyOrSkip(Map<String, String> fields, String defect, int partition, long arrivalMs) {
        try {
            Envelope env;
            try {
                if (defect != null) {
                    throw new RejectedEntryException(RejectedEntryException.Reason.INVALID_ENVELOPE, defect, null);
                }
                if (fields.size() == 1 && fields.containsKey(OVERSIZED_FIELD)) {
                    throw new RejectedEntryException(RejectedEntryException.Reason.OVERSIZED, "entry of "
                            + fields.get(OVERSIZED_FIELD) + " bytes is larger than the limit of " + maxEntryBytes
                            + " bytes (Redis sent its size only)", null);
                }
                env = guard.checkEnvelope(spec.stream(), fields);
                if (partition >= 0) {
                    guard.checkPartition(spec.stream(), partition, env.subject());
                }
            } catch (RejectedEntryException e) {
                warnings.skipped(e.reason().tag(), "a source would refuse it (" + e.reason().tag() + "): " + e.getMessage());
                return e.reason().tag();
            }
            if (env.subject() == null) {
                warnings.skipped(NO_SUBJECT, "it has no subject (no key to put it under, " + NO_SUBJECT + ")");
                return NO_SUBJECT;
            }
            String event = DedupeCache.keyOf(spec.stream(), env.source(), env.id());
            if (appliedEvents.contains(event)) {
                warnings.skipped(DUPLICATE, "its event was applied before (same source and id: a producer's retry), as a "
                        + "table() of the stream skips it");
                return DUPLICATE;
            }
            appliedEvents.add(event, arrivalMs);
            // a blank data is a tombstone as for a table() of the stream (found in review, 2026-12-07: decoded, it
            // failed as invalid_value and the deleted value stayed in the global table)
            Object value = IngestGuard.isNullData(env.data()) ? null : spec.valueSerde().deserialize(env.data());
            String named = value == null || spec.subjectOf() == null ? env.subject() : spec.subjectOf().apply(value);
            if (!env.subject().equals(named)) {
                // a value naming another subject than its entry's (found in review, 2026-12-08: a forged kill-switch
                // reset under "paper" naming account "other" reset paper's kill switch), as a source refuses it
                String reason = RejectedEntryException.Reason.INVALID_VALUE.tag();
                String shown = named == null ? "null" : (named.length() <= 64 ? named : named.substring(0, 64) + "…")
                        .replaceAll("\\p{Cntrl}", "?");
                warnings.skipped(reason, "its value names subject '" + shown + "', not its entry's ('" + env.subject()
                        + "') (" + reason + ")");
                return reason;
            }
            if (value == null) {
                values.remove(env.subject());
            } else {
                values.put(env.subject(), value);
            }
            return null;
        } catch (RuntimeException e) {
            String reason = RejectedEntryException.Reason.INVALID_VALUE.tag();
            warnings.skipped(reason, "it cannot be decoded (" + reason + "): " + e.getMessage());
            return reason;
        }
    }

    @Override
    public String name() {
        return spec.name();
    }

    /**
     * @return the key's latest value; as a task's own stores do ({@code CachedKeyValueStore}), a copy when the value
     *         type is not known to be immutable ({@link io.quantumtrader.streams.record.Serde#immutableValues()}), so a
     *         joiner that changes a table value in place changes neither the replica nor what later records see
     */
    @Override
    public Object get(String key) {
        return handOut(values.get(key));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object handOut(Object value) {
        io.quantumtrader.streams.record.Serde serde = spec.valueSerde();
        return serde.immutableValues() ? value : serde.copy(value);
    }

    @Override
    public void put(String key, Object value) {
        throw new UnsupportedOperationException("global table '" + spec.name() + "' is read-only: publish to '" + spec.stream() + "'");
    }

    @Override
    public Object delete(String key) {
        throw new UnsupportedOperationException("global table '" + spec.name() + "' is read-only: publish to '" + spec.stream() + "'");
    }

    @Override
    public Map<String, Object> all() {
        if (spec.valueSerde().immutableValues()) {
            return Map.copyOf(values);
        }
        Map<String, Object> copies = new java.util.HashMap<>(values);
        copies.replaceAll((k, v) -> handOut(v));
        return Map.copyOf(copies);
    }

    @Override
    public long approximateNumEntries() {
        return values.size();
    }
}
