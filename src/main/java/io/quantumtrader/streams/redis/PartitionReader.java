package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.record.CloudEventJson;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one partition of one or more streams for a consumer group, driven by downstream demand, in the manner of
 * Reactor Kafka's {@code KafkaReceiver.receive()}.
 *
 * <p>Each read is a non-blocking {@code XREADGROUP GROUP g c COUNT n STREAMS ...} with {@code n} bounded by the
 * outstanding demand and the batch size: no demand, no read, so a slow subscriber bounds the entries read ahead to
 * what it requested. {@code BLOCK} is never used (it would stall the shared multiplexed connection); an empty read is
 * retried after an idle delay that doubles from {@code idleMin} to {@code idleMax}; {@link #wake()} (called by an
 * {@link InputNotifier} that saw a new entry) cuts that delay short.
 *
 * <p>It first re-reads this consumer's pending entries (PEL, from id 0) so a restarted task reprocesses what it had
 * read but not acknowledged, then reads new entries ({@code >}). Entries of several streams in one read are emitted
 * in id order.
 *
 * <p>A fenced read of new entries whose reply was lost with its connection, which Lettuce then sent again (its
 * at-least-once default; {@code read-group.lua}), found its entries taken by the first run: the consumer holds entries
 * after the last one this reader received. The script then reads nothing ({@link GroupRead#resent}), and the reader
 * re-reads its consumer's pending entries after what it received, then new ones: every entry once, in id order
 * (LostReadReplyTest). Before, the lost entries stayed pending until the task restarted. A transaction read whose
 * connection was lost ({@link ReadConnectionLostException}: its connection is never re-established by Lettuce, so it
 * ran whole or not at all) is followed by the same re-read.
 */
public final class PartitionReader {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PartitionReader.class);

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final RedisScript<List> FENCED_READ =
            LuaScript.springScript("read-group.lua", List.class);

    private static final org.springframework.data.redis.serializer.RedisElementWriter<String> ARGS =
            org.springframework.data.redis.serializer.RedisElementWriter.from(org.springframework.data.redis.serializer.StringRedisSerializer.UTF_8);
    /** Leaves every element of the script's reply as the buffer Lettuce decoded (a copy it owns no more). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final org.springframework.data.redis.serializer.RedisElementReader<List> RAW =
            (org.springframework.data.redis.serializer.RedisElementReader) (org.springframework.data.redis.serializer.RedisElementReader<Object>) buffer -> buffer;

    /** Longest a fenced read (transaction or script) may take before the reader fails (and its task restarts). */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    /**
     * A reader whose last non-empty read returned at most this many entries is reported idle from its first idle
     * delay on, however short ({@link #onIdle}): its records come one or two at a time, so a wake-up saves each of
     * them most of a delay. A reader that read more (a backlog, a high rate) waits out the short delays and reads
     * larger batches. Measured with {@code bench --latency} (docs/BENCHMARKS.md, 2026-12-03 05:10 UTC): at 1,000
     * records/s the median fell from 2.1–2.6 ms to 0.57–0.67 ms; at 10,000/s and 10/s it did not change. Watching every
     * idle reader whatever it read made the 10,000/s runs worse (batches of one or two records).
     */
    public static final int SPARSE_INPUT_ENTRIES = 2;

    /**
     * Reads in a row whose connection may be lost before their reply and be read again from the pending list
     * ({@link ReadConnectionLostException}) before the reader fails (and its task restarts).
     */
    static final int MAX_CONNECTION_LOSSES = 3;

    private final ReactiveStringRedisTemplate redis;
    private final Consumer consumer;
    private final String leaseKey;
    private final String token;
    private final FencedReadConnection fastReads;
    private final String scratchKey;
    private final Map<String, String> streamByKey;
    /** Field names and partition keys of the replies, decoded once (fromMessages runs on one thread at a time). */
    private final RecurringStrings names = new RecurringStrings();
    private final int partition;
    private final int maxBatch;
    /**
     * The most entries a read asks for now ({@link #limitEntrySize}): {@link #maxBatch} unless a read returned an
     * oversized entry or the reader starts cautiously, then 1, doubling with each read without one.
     */
    private volatile int countCap = Integer.MAX_VALUE;
    /** An entry with more characters than this (names and values) makes the next read ask for one entry; off: max. */
    private volatile int oversizedChars = Integer.MAX_VALUE;
    private final Duration idleMin;
    private final Duration idleMax;
    private final Map<String, String> pendingCursor = new HashMap<>();
    /** The streams as the fenced reads name them, with the task for the report of entries deleted unread. */
    private volatile ReadStreams readStreams;
    /** Told of entries deleted before the group read them ({@link #reportDeletedUnread}). */
    private volatile java.util.function.BiConsumer<String, Long> deletedUnread = this::warnDeletedUnread;
    /** Per stream key, the group's deleted-unread totals counted so far ({@link #reportDeleted}); absent: none yet. */
    private final Map<String, DeletedUnreadTotals> deletedCounted = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicLong entriesRead = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    /** Told of each read followed by a re-read of the pending list, with the reason ({@link #onReadAgain}). */
    private volatile java.util.function.Consumer<String> readAgain = reason -> { };
    /** Reads in a row whose fenced-read connection was lost before the reply ({@link #connectionLost}). */
    private final java.util.concurrent.atomic.AtomicInteger connectionLosses = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopped;
    /**
     * Partition keys whose pending entries (after their {@link #pendingCursor}) have not all been read again: each is
     * read from its cursor instead of {@code >} until a read returns none of its pending entries. Every key at the
     * start and after {@link #rereadPending}; a key {@link #pause paused} before its pending phase ended keeps it until
     * it is read again (its pending entries are never skipped).
     */
    private final java.util.Set<String> pendingKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Partition keys not read for now ({@link #pause}): their new entries stay in the stream, unread. */
    private final java.util.Set<String> paused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile FluxSink<Object> sink;
    /** Whether {@link #create} was called: a reader is subscribed once. */
    private volatile boolean created;
    private volatile boolean batches;
    /**
     * The subscriber cancelled (or the flux terminated): a read still in flight drops its reply, even an error. Reads
     * are never cancelled: a cancel racing with a reply's error makes Reactor drop that error with an ERROR log
     * ({@code onErrorDropped}), and cancelling would not undo a read Redis already ran anyway.
     */
    private volatile boolean disposed;
    private long idleMillis;
    /** Waiting out an idle delay (after an empty read, with demand): {@link #wake()} ends the wait. */
    private final AtomicBoolean idle = new AtomicBoolean();
    /** A wake-up arrived since the current read started: if that read comes back empty, read again at once. */
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private volatile Disposable idleTimer;
    private volatile java.util.function.Consumer<PartitionReader> idleListener;
    private volatile long idleListenerAfterMs;
    private volatile long currentDelayMs;
    /**
     * Entries in the last non-empty read ({@link Integer#MAX_VALUE} before the first): at most
     * {@link #SPARSE_INPUT_ENTRIES} means records arrive more slowly than the reader reads them (sparse input), and
     * every idle delay is then worth watching for.
     */
    private volatile int lastReadEntries = Integer.MAX_VALUE;
    /**
     * Streams whose last read returned all the entries they were asked for (they may hold more): the next read splits
     * its COUNT among them ({@link #split}); all streams before the first read and after a read that left none with
     * more.
     */
    private volatile int fullStreams;
    /** Largest entry id read per partition key (null before the first entry): what this reader has seen of the key. */
    private final Map<String, String> lastReadIds = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong noDemandNanos = new AtomicLong();
    private volatile long noDemandSince;

    /**
     * @param streamByKey partition keys to read, mapped to their logical stream names
     * @param maxBatch    upper bound of COUNT per read
     */
    public PartitionReader(ReactiveStringRedisTemplate redis, String group, String consumerName,
                           Map<String, String> streamByKey, int partition, int maxBatch, Duration idleMin, Duration idleMax) {
        this(redis, group, consumerName, streamByKey, partition, maxBatch, idleMin, idleMax, null, null);
    }

    /**
     * A fenced reader: every read is one script that first checks that {@code leaseKey} still holds {@code token}
     * ({@code read-group.lua}), so a task that lost its lease cannot take entries away from the new owner; such a read
     * fails with {@link TaskFencedException}.
     *
     * @param leaseKey the task's lease (same Redis Cluster slot as the partition's streams)
     * @param token    the fencing token the task holds
     */
    public PartitionReader(ReactiveStringRedisTemplate redis, String group, String consumerName,
                           Map<String, String> streamByKey, int partition, int maxBatch, Duration idleMin, Duration idleMax,
                           String leaseKey, String token) {
        this(redis, group, consumerName, streamByKey, partition, maxBatch, idleMin, idleMax, leaseKey, token, null, null);
    }

    /**
     * A fenced reader whose reads are transactions on a dedicated connection ({@link FencedReadConnection}: the entries
     * come back as XREADGROUP replies them; a read under a lost lease is undone and fails with
     * {@link TaskFencedException}); with {@code fastReads} null, as the constructor above ({@code read-group.lua}).
     *
     * @param scratchKey the task's {@link StreamKeys#fencedRead} key (same slot as the lease)
     */
    public PartitionReader(ReactiveStringRedisTemplate redis, String group, String consumerName,
                           Map<String, String> streamByKey, int partition, int maxBatch, Duration idleMin, Duration idleMax,
                           String leaseKey, String token, FencedReadConnection fastReads, String scratchKey) {
        this.fastReads = leaseKey == null ? null : fastReads;
        this.scratchKey = scratchKey;
        this.redis = redis;
        this.leaseKey = leaseKey;
        this.token = token;
        this.consumer = Consumer.from(group, consumerName);
        this.streamByKey = new LinkedHashMap<>(streamByKey);
        this.partition = partition;
        this.maxBatch = maxBatch;
        this.idleMin = idleMin;
        this.idleMax = idleMax;
        this.idleMillis = idleMin.toMillis();
        this.fullStreams = streamByKey.size();
        streamByKey.keySet().forEach(k -> pendingCursor.put(k, "0"));
        pendingKeys.addAll(streamByKey.keySet());
        this.readStreams = new ReadStreams(this.streamByKey, "", partition);
    }

    /**
     * Entries of an input deleted before the consumer group read them (an XADD with MAXLEN, XTRIM or XDEL while the
     * group lagged) are found by the fenced read that would go past them, dead-lettered in the same step (one entry
     * naming the range and how many, {@code deleted-unread.lib.lua}), added to the group's totals in Redis, and passed
     * to {@code listener} as the totals grow from one read's reply to the next: a loss found by a read whose reply was
     * lost is passed on with the next reply, once. Without a listener they are logged as a warning. Unfenced readers
     * (no lease) do not look.
     *
     * @param taskId   the task reading, for the dead-letter entry ({@code <sub-topology>_<partition>})
     * @param counted  per stream key, the group's totals already counted (by an earlier owner or run of the task: what
     *                 their reads last noted as counted, else the totals when the task started, {@code claim-pending.lua});
     *                 a stream absent counts from zero. Each read notes in Redis what this reader has counted since, so a
     *                 loss found by a read whose reply never reached it (a read timeout restarted the task) is counted by
     *                 the next run; one found by a read it counted just before the task stopped, before its next read,
     *                 may be counted again by the next run (counted twice rather than never)
     * @param listener called on the task's thread with the logical stream and the number of entries deleted unread
     *                 (-1: at least one, Redis could not tell how many)
     * @return this reader
     */
    public PartitionReader reportDeletedUnread(String taskId, Map<String, DeletedUnreadTotals> counted,
                                               java.util.function.BiConsumer<String, Long> listener) {
        this.deletedCounted.putAll(counted);
        // each read notes what this reader has counted, for the task's next run (claim-pending.lua starts it there)
        this.readStreams = new ReadStreams(streamByKey, taskId, partition, deletedCounted);
        this.deletedUnread = listener;
        return this;
    }

    /**
     * Record-level demand: each read asks for at most the outstanding demand (capped by the batch size).
     *
     * @return entries as downstream requests them; completes after {@link #stop()} once the read in flight is emitted
     */
    public Flux<StreamEntry> receive() {
        return create(false).cast(StreamEntry.class);
    }

    /**
     * Batch-level demand, for tasks: each requested batch is one read of up to {@code maxBatch} entries (empty reads
     * are not emitted). A subscriber that requests one batch at a time has at most that batch read ahead.
     *
     * @return non-empty batches in read order; completes after {@link #stop()}
     */
    @SuppressWarnings("unchecked")
    public Flux<List<StreamEntry>> receiveBatches() {
        return create(true).map(o -> (List<StreamEntry>) o);
    }

    private Flux<Object> create(boolean batches) {
        if (created) {
            throw new IllegalStateException("a PartitionReader can be subscribed once");
        }
        created = true;
        this.batches = batches;
        return Flux.create(s -> {
            sink = s;
            s.onRequest(n -> {
                long since = noDemandSince;
                if (since != 0) {
                    noDemandNanos.addAndGet(System.nanoTime() - since);
                    noDemandSince = 0;
                }
                drain();
            });
            s.onDispose(() -> {
                disposed = true;
                stopped = true;
                // the sink keeps its subscriber, the task run's whole operator chain (its stores, dedupe cache and
                // global tables): a reader a task still refers to after its run ended kept them for good on the
                // instance a task had left (found in review, 2026-12-08: HandedOverTaskMemoryTest)
                sink = null;
                endNoDemand();
                idle.set(false);
                Disposable timer = idleTimer;
                if (timer != null) {
                    timer.dispose();
                }
            });
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** Stops reading: the flux completes after the entries of the read in flight (if any) are emitted. */
    public void stop() {
        stopped = true;
        drain();
    }

    /**
     * Cuts the current idle delay short: a reader waiting out its back-off after an empty read reads at once; a reader
     * whose read is in flight reads again at once if that read comes back empty (the entry that caused the wake-up may
     * have arrived just after it). Has no other effect (a busy reader reads anyway). Thread-safe.
     *
     * @return true when the reader was waiting out an idle delay
     */
    public boolean wake() {
        wakeRequested.set(true);
        if (!idle.compareAndSet(true, false)) {
            return false;
        }
        Disposable t = idleTimer;
        if (t != null) {
            t.dispose();
        }
        drain();
        return true;
    }

    /** @return true while the reader waits out an idle delay (its last read was empty and downstream wants more) */
    public boolean idle() {
        return idle.get();
    }

    /**
     * @return true while the reader waits out an idle delay at least {@code after} long, or any idle delay when its
     *         last non-empty read returned at most {@link #SPARSE_INPUT_ENTRIES} entries
     */
    public boolean watchable(Duration after) {
        return idle.get() && worthWatching(currentDelayMs, after.toMillis());
    }

    /** @return true when an idle delay of {@code delayMs} is worth a wake-up: at least {@code afterMs}, or sparse input */
    private boolean worthWatching(long delayMs, long afterMs) {
        return delayMs >= afterMs || lastReadEntries <= SPARSE_INPUT_ENTRIES;
    }

    /** @return true once the reader was stopped, cancelled or failed: it reads no more */
    public boolean stopped() {
        return stopped;
    }

    /**
     * @param after    only delays at least this long are reported (the first, short ones of the back-off are cheaper
     *                 to wait out than to watch for while records arrive faster than the reader reads them), and
     *                 every delay once the last non-empty read returned at most {@link #SPARSE_INPUT_ENTRIES} entries
     * @param listener told each time the reader starts waiting out such an idle delay (on a Reactor thread; must not
     *                 block)
     */
    public void onIdle(Duration after, java.util.function.Consumer<PartitionReader> listener) {
        this.idleListenerAfterMs = after.toMillis();
        this.idleListener = listener;
    }

    /**
     * @return the partition keys this reader reads now: all of them but those {@link #pause paused} (an
     *         {@link InputNotifier} watches these only, so a paused key's backlog does not wake the reader)
     */
    public java.util.Set<String> keys() {
        java.util.Set<String> active = new java.util.LinkedHashSet<>(streamByKey.keySet());
        active.removeAll(paused);
        return java.util.Collections.unmodifiableSet(active);
    }

    /**
     * Stops reading {@code key} (Kafka's {@code KafkaConsumer.pause}): the reads that follow leave it out, so its new
     * entries stay in the stream, unread by the group (not pending), until {@link #resume}. A read already in flight
     * still returns its entries. The other keys are read as before; with every key paused the reader reads nothing
     * (and does not poll) until one is resumed. Thread-safe.
     *
     * @param key one of {@link #keys}' partition keys (others are ignored)
     * @return true when the key was read until now
     */
    public boolean pause(String key) {
        return streamByKey.containsKey(key) && paused.add(key);
    }

    /**
     * Reads {@code key} again ({@link #pause}): at once when the reader was waiting out an idle delay or had every key
     * paused. Thread-safe.
     *
     * @return true when the key was paused
     */
    public boolean resume(String key) {
        if (!paused.remove(key)) {
            return false;
        }
        if (!wake()) {
            drain();   // every key was paused (no read, no idle delay), or a read is in flight (then a no-op)
        }
        return true;
    }

    /** @return the partition keys {@link #pause paused} now */
    public java.util.Set<String> pausedKeys() {
        return java.util.Set.copyOf(paused);
    }

    /** @return the consumer group this reader reads for */
    public String group() {
        return consumer.getGroup();
    }

    /** @return the largest entry id this reader has read of {@code key}, or null when none yet */
    public String lastReadId(String key) {
        return lastReadIds.get(key);
    }

    /** @return entries read from Redis so far (the read-ahead is this minus what downstream processed) */
    public long entriesRead() {
        return entriesRead.get();
    }

    /**
     * Ends a period without demand when the reader stops: a stopped reader reads no more, so no time of it counts (found
     * in review, 2026-12-07: a task handed over while busy kept adding ~1 s per second on the instance it left).
     */
    private void endNoDemand() {
        long since = noDemandSince;
        if (since != 0) {
            noDemandNanos.addAndGet(System.nanoTime() - since);
            noDemandSince = 0;
        }
    }

    /** @return total time with no outstanding demand (the subscriber was busy) while reading, ns */
    public long noDemandNanos() {
        long since = noDemandSince;
        return noDemandNanos.get() + (since == 0 ? 0 : System.nanoTime() - since);
    }

    /**
     * @param listener told, on a Reactor thread, of each read that came back without its entries and is followed by a
     *                 re-read of the consumer's pending list: {@code resent} (a read sent twice,
     *                 {@link GroupRead#resent}) or {@code connection_lost} ({@link ReadConnectionLostException})
     * @return this reader
     */
    public PartitionReader onReadAgain(java.util.function.Consumer<String> listener) {
        this.readAgain = listener;
        return this;
    }

    /** @return XREADGROUP calls made so far */
    public long reads() {
        return reads.get();
    }

    /** @return the demand downstream has signalled and not yet received (entries, or batches for {@link #receiveBatches()}) */
    public long outstandingDemand() {
        FluxSink<Object> s = sink;
        return s == null ? 0 : s.requestedFromDownstream();
    }

    private void drain() {
        FluxSink<Object> s = sink;
        if (s == null || !reading.compareAndSet(false, true)) {
            return;
        }
        if (stopped) {
            endNoDemand();
            reading.set(false);
            s.complete();
            return;
        }
        long demand = s.requestedFromDownstream();
        if (demand <= 0) {
            if (noDemandSince == 0) {
                noDemandSince = System.nanoTime();
            }
            reading.set(false);
            if (s.requestedFromDownstream() > 0 || stopped) {
                drain();
            }
            return;
        }
        List<String> readKeys = new ArrayList<>(keys());
        if (readKeys.isEmpty()) {
            // every key paused: no read (and no polling) until resume() drains again
            reading.set(false);
            if ((paused.size() < streamByKey.size() || stopped) && s.requestedFromDownstream() > 0) {
                drain();   // resumed (or stopped) between the check and now: its drain() found this one reading
            }
            return;
        }
        int count = Math.min(countCap, batches ? maxBatch : (int) Math.min(maxBatch, demand));
        // entry-level demand (receive()) is never read beyond by more than the rounding of an even split
        int perStream = split(count, batches ? Math.min(fullStreams, readKeys.size()) : readKeys.size());
        wakeRequested.set(false);
        // never cancelled (see disposed): it ends within READ_TIMEOUT or the script's own bound
        read(readKeys, perStream).subscribe(entries -> {
            if (disposed) {
                reading.set(false);
                return; // the task stopped while this read was in flight: its entries stay pending for the next owner
            }
            entriesRead.addAndGet(entries.size()); // before emitting: downstream may look at it while handling them
            adjustCountCap(entries);
            // a read returns each key's entries in id order: its last entry of a key is the largest
            Map<String, String> lastOfRead = new HashMap<>(4);
            Map<String, Integer> perKey = batches && readKeys.size() > 1 ? new HashMap<>(4) : null;
            for (StreamEntry e : entries) {
                lastOfRead.put(e.key(), e.id());
                if (perKey != null) {
                    perKey.merge(e.key(), 1, Integer::sum);
                }
            }
            if (perKey != null) {
                int full = 0;
                for (int n : perKey.values()) {
                    if (n >= perStream) {
                        full++;
                    }
                }
                fullStreams = full == 0 ? streamByKey.size() : full;
            }
            lastOfRead.forEach((key, id) -> lastReadIds.merge(key, id, (a, b) -> StreamEntry.compareIds(a, b) >= 0 ? a : b));
            if (batches) {
                if (!entries.isEmpty()) {
                    s.next(entries);
                }
            } else {
                for (StreamEntry e : entries) {
                    s.next(e);
                }
            }
            reading.set(false);
            if (entries.isEmpty() && !stopped && wakeRequested.get()) {
                drain(); // woken while this read was in flight: the entry may have arrived just after it
            } else if (entries.isEmpty() && !stopped) {
                long delay = idleMillis;
                idleMillis = Math.min(idleMax.toMillis(), Math.max(1, idleMillis * 2));
                awaitInput(delay);
            } else {
                if (!entries.isEmpty()) {
                    lastReadEntries = entries.size();
                }
                idleMillis = idleMin.toMillis();
                if (!stopped && !wakeRequested.get() && drainedBy(readKeys, entries.size(), perStream)) {
                    awaitInput(idleMillis); // the read found all there was: an entry appended since wakes the reader
                } else {
                    drain();
                }
            }
        }, error -> {
            stopped = true;
            reading.set(false);
            if (!disposed) { // after a cancel the error has no one to go to (e.g. FENCED for a task already revoked)
                s.error(error);
            }
        });
    }

    /**
     * Bounds what one read brings into memory when entries are far larger than an entry may be. A read asks for up to
     * a batch of entries and gets them whole, whatever their size (Redis takes values up to 512 MB): 40 entries of
     * 8 MiB exhausted a 256 MiB heap, the task restarted into the same read for ever, and nothing was dead-lettered
     * (found in review, 2026-12-06). With this, a read that returns an entry larger than {@code maxEntryBytes} makes
     * the reads after it ask for one entry (the source dead-letters it as oversized), and the count doubles with each
     * read that returns none, back to the batch size; with {@code cautious} (the task's last run ran out of memory:
     * its read is pending and read again first) the first read asks for one entry too.
     *
     * @param maxEntryBytes the largest entry accepted ({@code IngestLimits.maxEntryBytes}), compared with the entry's
     *                      characters (names and values; at most its UTF-8 bytes)
     * @param cautious      whether the first read asks for one entry
     * @return this reader
     */
    public PartitionReader limitEntrySize(int maxEntryBytes, boolean cautious) {
        this.oversizedChars = maxEntryBytes;
        if (cautious) {
            countCap = 1;
        }
        return this;
    }

    /** @return the most entries the next read asks for (the batch size unless {@link #limitEntrySize} lowered it) */
    public int countCap() {
        return Math.min(countCap, maxBatch);
    }

    private void adjustCountCap(List<StreamEntry> entries) {
        int limit = oversizedChars;
        if (limit == Integer.MAX_VALUE) {
            return;
        }
        for (StreamEntry e : entries) {
            long chars = 0;
            for (Map.Entry<String, String> f : e.fields().entrySet()) {
                chars += f.getKey().length() + (f.getValue() == null ? 0 : f.getValue().length());
            }
            if (chars > limit) {
                countCap = 1;
                return;
            }
        }
        int cap = countCap;
        if (cap < maxBatch && !entries.isEmpty()) {
            countCap = (int) Math.min((long) cap * 2, maxBatch);
        }
    }

    /**
     * @return true when a read of new entries that returned {@code entries} of the {@code count} asked for left
     *         nothing behind and the reader's wait for more is watched: every stream returned fewer entries than it
     *         was asked for (so it had no more at that moment), at most {@link #SPARSE_INPUT_ENTRIES} in all, and an
     *         idle listener ({@link InputNotifier}) watches the reader from the largest id it read. Reading again at
     *         once would then return nothing: measured with {@code bench --latency} at 1,000 records/s, every record
     *         cost a second, empty fenced read (five commands) before the reader went idle (docs/BENCHMARKS.md,
     *         2026-12-03 07:20 UTC). Without a listener (a Redis Cluster, or no notifier) the reader reads again at
     *         once, as a wait would not be cut short.
     */
    private boolean drainedBy(List<String> readKeys, int entries, int perStream) {
        return idleListener != null && java.util.Collections.disjoint(pendingKeys, readKeys)
                && entries <= SPARSE_INPUT_ENTRIES && entries < perStream;
    }

    /**
     * The COUNT each stream of a read of {@code count} entries is asked for (XREADGROUP applies one COUNT to every
     * stream it reads): {@code count} split among {@code among} streams, at least 1 — for batch-level demand
     * ({@link #receiveBatches()}) among the streams that returned all they were asked for last time
     * ({@link #fullStreams}), evenly for {@link #receive()}, so that what it reads stays bounded by the entries
     * requested. A task whose other inputs have nothing to read (the portfolio's signals and regimes, far fewer than
     * its ticks) then reads a whole batch of the input that has entries instead of a third of one: the replay's
     * portfolio task read 667 ticks per read of 2,000 while its other two inputs had caught up (docs/BENCHMARKS.md,
     * 2026-12-04 08:37 section). A batch read returns at most {@code count} entries per stream (when streams that had
     * nothing get entries at once), and {@code count} when every stream has more.
     */
    private static int split(int count, int among) {
        int streams = Math.max(1, among);
        return Math.max(1, (count + streams - 1) / streams);
    }

    /**
     * Waits {@code delayMs} before the next read (ended early by {@link #wake()}), telling the idle listener when the
     * wait is worth watching. A wake-up that arrived before the wait began ends it at once.
     */
    private void awaitInput(long delayMs) {
        currentDelayMs = delayMs;
        idle.set(true);
        Disposable timer = Schedulers.parallel().schedule(this::idleOver, delayMs, TimeUnit.MILLISECONDS);
        idleTimer = timer;
        java.util.function.Consumer<PartitionReader> listener = idleListener;
        if (listener != null && worthWatching(delayMs, idleListenerAfterMs)) {
            listener.accept(this);
        }
        if (wakeRequested.get() && idle.compareAndSet(true, false)) {
            timer.dispose(); // woken between the read's reply and the start of this wait
            drain();
        }
    }

    /** The idle delay is over (unless {@link #wake()} ended it first): read again. */
    private void idleOver() {
        if (idle.compareAndSet(true, false)) {
            drain();
        }
    }

    /**
     * One read of {@code readKeys} (the keys not paused): each key in its pending phase ({@link #pendingKeys}) from its
     * cursor, the others from {@code >}. A read that returns none of the pending entries of the keys it re-read ends
     * their pending phase; one that re-read pending entries only and returned nothing reads again at once (new entries).
     */
    @SuppressWarnings("unchecked")
    private Mono<List<StreamEntry>> read(List<String> readKeys, int perStream) {
        reads.incrementAndGet();
        java.util.Set<String> pendingOfRead = new java.util.HashSet<>(readKeys);
        pendingOfRead.retainAll(pendingKeys);
        boolean pending = !pendingOfRead.isEmpty();
        boolean onlyPending = pendingOfRead.size() == readKeys.size();
        AtomicBoolean resendFound = new AtomicBoolean();
        List<StreamOffset<String>> offsets = new ArrayList<>();
        for (String key : readKeys) {
            offsets.add(StreamOffset.create(key, pendingOfRead.contains(key) ? ReadOffset.from(pendingCursor.get(key)) : ReadOffset.lastConsumed()));
        }
        Flux<StreamEntry> read;
        if (fastReads != null) {
            List<String> keys = readKeys;
            List<String> ids = readIds(keys, pendingOfRead);
            // the reply stays bytes on Lettuce's I/O thread (ReadGroupOutput); strings are made on a parallel thread
            read = fastReads.read(leaseKey, scratchKey, token, consumer.getGroup(), consumer.getName(), keys, ids,
                            seenIds(keys), perStream, readStreams)
                    // a read never blocks in Redis: one that has not come back within READ_TIMEOUT (each attempt,
                    // FencedReadConnection) fails the task, which restarts (a guard: a transaction read was once seen
                    // never to return while Redis was out of memory)
                    .onErrorResume(ReadConnectionLostException.class, e -> connectionLost(e, resendFound))
                    .publishOn(Schedulers.parallel())
                    .flatMapIterable(r -> fromRaw(reportDeleted(keys, resent(r, resendFound))));
        } else if (leaseKey != null) {
            List<String> streamKeys = readKeys;
            List<String> ids = readIds(streamKeys, pendingOfRead);
            List<String> keys = readStreams.readGroupKeys(leaseKey, streamKeys);
            List<String> args = readStreams.readGroupArgs(token, consumer.getGroup(), consumer.getName(), perStream, ids,
                    seenIds(streamKeys), streamKeys);
            // the reply stays raw buffers on Lettuce's single I/O thread; strings are made on a parallel thread
            read = TryAgainRetry.retried(redis.execute(FENCED_READ, keys, args, ARGS, RAW), READ_TIMEOUT)
                    .onErrorMap(e -> RedisErrors.hasCode(e, "FENCED"), e -> new TaskFencedException(RedisErrors.rootMessage(e)))
                    .onErrorMap(e -> RedisErrors.hasCode(e, "REJECTED"), FencedReadConnection::reportRefused)
                    // the same guard as the transaction's: a script read Redis ran whose reply never reached this
                    // reader stalled a task for good, its entry pending and the rest unread (on a Redis Cluster, when
                    // its reads went this way: EventTimeAlignmentOnClusterTest, twice in ~60 runs; docs/BENCHMARKS.md,
                    // 2026-12-05 03:23 section). Failing restarts the task, which re-reads its pending entries first.
                    // (The timeout is each attempt's, above.)
                    .publishOn(Schedulers.parallel())
                    .concatMapIterable(reply -> fromRaw(reportDeleted(streamKeys, resent(ReadGroupReply.read(reply), resendFound))));
        } else {
            StreamOffset<String>[] streams = offsets.toArray(new StreamOffset[0]);
            read = redis.opsForStream()
                    .read(consumer, StreamReadOptions.empty().count(perStream), streams)
                    .map(this::toEntry);
        }
        return read
                .collectList()
                .flatMap(entries -> {
                    if (resendFound.get()) { // nothing was read (a re-sent read, a lost connection): the pending list
                        return read(readKeys, perStream);
                    }
                    return Mono.just(entries);
                })
                .map(entries -> {
                    if (pending) {
                        boolean reread = false;
                        for (StreamEntry e : entries) {
                            if (pendingOfRead.contains(e.key())) {
                                pendingCursor.put(e.key(), e.id());
                                reread = true;
                            }
                        }
                        if (!reread) {
                            pendingKeys.removeAll(pendingOfRead);
                        }
                    }
                    if (readKeys.size() > 1) {
                        entries.sort((a, b) -> StreamEntry.compareIds(a.id(), b.id()));
                    }
                    return entries;
                })
                .flatMap(entries -> onlyPending && entries.isEmpty() ? read(readKeys, perStream) : Mono.just(entries));
    }

    /**
     * @return XREADGROUP's id per stream key of a fenced read: the consumer's pending entries after its cursor in the
     *         pending phase, else {@code >} (new entries)
     */
    private List<String> readIds(List<String> streamKeys, java.util.Set<String> pending) {
        List<String> ids = new ArrayList<>(streamKeys.size());
        for (String key : streamKeys) {
            ids.add(pending.contains(key) ? pendingCursor.get(key) : ">");
        }
        return ids;
    }

    /**
     * @return per stream key, the last entry id this reader received ({@code -} when none): a read of new entries that
     *         finds its consumer holding an entry after it was sent twice ({@link GroupRead#resent})
     */
    private List<String> seenIds(List<String> streamKeys) {
        List<String> seen = new ArrayList<>(streamKeys.size());
        for (String key : streamKeys) {
            seen.add(lastReadIds.getOrDefault(key, "-"));
        }
        return seen;
    }

    /**
     * A read found sent twice ({@link GroupRead#resent}): it read nothing, as new entries would come before the first
     * run's, which the reader never received and its consumer holds. Goes back to the pending phase from the last entry
     * received of each stream, so the next read returns the first run's entries, then new ones, in order.
     *
     * @param found set when it was
     * @return {@code read}, with no entries when it was found re-sent
     */
    private GroupRead resent(GroupRead read, AtomicBoolean found) {
        if (!read.resent()) {
            if (!found.get()) {
                connectionLosses.set(0); // a read that came back
            }
            return read;
        }
        readAgain.accept("resent");
        rereadPending(found);
        log.warn("consumer {} of group {} holds entries of partition {} after the last it received (a read's reply was "
                + "lost with its connection and the read sent again): reading them again from its pending list",
                consumer.getName(), consumer.getGroup(), partition);
        return new GroupRead(List.of(), read.deletedUnread(), false);
    }

    /**
     * The fenced-read connection was lost before a read's reply: Redis ran the read whole (its entries are pending for
     * this consumer) or not at all. The next read re-reads the pending entries after the last one received, which
     * finds them either way, on a connection opened anew (on a Redis Cluster, once Lettuce reconnected): the re-read
     * waits 100 ms, doubling with each loss in a row; a loss after {@link #MAX_CONNECTION_LOSSES} in a row fails the
     * read (the task restarts).
     *
     * @return an empty read, after the wait, when it is tried again
     */
    private Mono<GroupRead> connectionLost(ReadConnectionLostException e, AtomicBoolean found) {
        int losses = connectionLosses.incrementAndGet();
        if (losses > MAX_CONNECTION_LOSSES) {
            return Mono.error(e);
        }
        readAgain.accept("connection_lost");
        rereadPending(found);
        log.info("consumer {} of group {}, partition {}: {}; reading its pending entries after the last it received",
                consumer.getName(), consumer.getGroup(), partition, e.getMessage());
        return Mono.delay(Duration.ofMillis(100L << (losses - 1))).thenReturn(new GroupRead(List.of(), List.of(), false));
    }

    /** The read in flight is followed by the pending phase from the last entry received of each stream. */
    private void rereadPending(AtomicBoolean found) {
        found.set(true);
        for (String key : streamByKey.keySet()) {
            pendingCursor.put(key, lastReadIds.getOrDefault(key, "0"));
        }
        pendingKeys.addAll(streamByKey.keySet());
    }

    private void warnDeletedUnread(String stream, long n) {
        log.warn("{} entries of {} partition {} were deleted before consumer group {} read them; see its dead-letter stream",
                n < 0 ? "some" : n, stream, partition, consumer.getGroup());
    }

    /**
     * Passes to the listener ({@link #reportDeletedUnread}) what the group's deleted-unread totals gained since the
     * last reply: what this read found, and what a read whose reply was lost found.
     *
     * @param streamKeys the streams of the read, in the order their totals come
     * @return the read's entries
     */
    private List<RawStreamEntry> reportDeleted(List<String> streamKeys, GroupRead read) {
        List<DeletedUnreadTotals> totals = read.deletedUnread();
        for (int i = 0; i < totals.size() && i < streamKeys.size(); i++) {
            DeletedUnreadTotals now = totals.get(i);
            DeletedUnreadTotals before = deletedCounted.getOrDefault(streamKeys.get(i), DeletedUnreadTotals.NONE);
            deletedCounted.put(streamKeys.get(i), now);
            if (!now.atLeast(before)) {
                continue; // the hash was deleted (the stream's keys removed by hand): counting starts again from it
            }
            String stream = streamByKey.get(streamKeys.get(i));
            if (now.entries() > before.entries()) {
                deletedUnread.accept(stream, now.entries() - before.entries());
            }
            for (long n = before.unknown(); n < now.unknown(); n++) {
                deletedUnread.accept(stream, -1L);
            }
        }
        return read.entries();
    }

    /**
     * Converts an XREADGROUP reply, of the transaction or of read-group.lua, on this (the task's) thread: field names
     * and keys through {@link RecurringStrings}, values as new strings (an entry deleted while pending has no fields:
     * empty map), an entry in structured mode expanded into flat fields ({@link CloudEventJson#flattenIfValid}).
     */
    private List<StreamEntry> fromRaw(List<RawStreamEntry> raw) {
        List<StreamEntry> out = new ArrayList<>(raw.size());
        for (RawStreamEntry e : raw) {
            String key = names.decode(e.stream());
            RawEntryFields.Decoded decoded = RawEntryFields.decode(e.fieldsAndValues(), names::decode);
            out.add(new StreamEntry(streamByKey.get(key), key, partition, e.idString(), decoded.fields(), decoded.defect()));
        }
        return out;
    }

    /** Whether bytes decoded with {@code new String(bytes, UTF_8)} were valid UTF-8 (it puts U+FFFD where they were not). */
    static final class Utf8 {
        private Utf8() {
        }

        /**
         * @return true when {@code bytes} are valid UTF-8; decoded is their decoding. Cheap when it has no U+FFFD
         *         (a string of Latin-1 characters answers at once): only then are the bytes decoded again, strictly
         */
        static boolean valid(byte[] bytes, String decoded) {
            if (decoded.indexOf('\uFFFD') < 0) {
                return true;
            }
            try {
                java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes));
                return true;   // a U+FFFD the writer wrote (EF BF BD)
            } catch (java.nio.charset.CharacterCodingException e) {
                return false;
            }
        }
    }

    /** A pending entry deleted (trimmed) before it was processed comes back without fields; it is emitted empty. */
    private StreamEntry toEntry(MapRecord<String, Object, Object> r) {
        return new StreamEntry(streamByKey.get(r.getStream()), r.getStream(), partition, r.getId().getValue(),
                StreamEntry.fieldsOf(r));
    }
}
