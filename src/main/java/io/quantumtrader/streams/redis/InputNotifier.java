package io.quantumtrader.streams.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wakes idle {@link PartitionReader}s as soon as an entry arrives, so a record reaching a quiet partition is read
 * within a round trip instead of after the reader's idle back-off (up to {@code idleMax}).
 *
 * <p>The fenced reads stay non-blocking (DESIGN §2: a {@code BLOCK} on the shared multiplexed connection would stall
 * every task, and inside a script it does not block). This notifier has its own Lettuce connection, on which one
 * background thread runs a group-less {@code XREAD BLOCK <t> COUNT 1 STREAMS k1 … kn id1 … idn} over the partition
 * keys of the readers that are waiting out an idle delay (of at least {@link #WATCH_AFTER}, or any delay when their
 * input is sparse: {@link PartitionReader#watchable}); it consumes nothing
 * (delivery, fencing and acknowledgement stay with the readers' {@code XREADGROUP}). Each {@code id} is what the idle readers have already seen of that key
 * (the largest id they read, at least their group's {@code last-delivered-id}) or what the notifier saw last, so no
 * entry appended between two calls is missed, and an entry the readers already have does not wake them again. When
 * the call returns, the readers of the keys it names are woken ({@link PartitionReader#wake()}).
 *
 * <p>When a reader of a key outside the blocked call becomes idle, the call is ended with {@code CLIENT UNBLOCK} (sent
 * on a second, small connection) and re-issued with the new keys; readers come and go with the assignment
 * ({@link #register}; stopped readers are dropped). With no idle reader it sends nothing.
 *
 * <p>Like a {@code PeriodicJob} it never dies: a failed or timed-out call (Redis away, slow) is logged (the first
 * of a streak at WARN, the recovery at INFO), counted ({@link #failures()}), its connections are re-opened after a
 * back-off of 0.1 → 5 s, and meanwhile the readers' own back-off reads as before. Standalone Redis only: on a Redis
 * Cluster the partitions are in different slots and one multi-key {@code XREAD} cannot cover them ({@link #open}
 * returns empty there).
 */
public final class InputNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InputNotifier.class);
    private static final long MAX_RETRY_MS = 5_000;
    /**
     * A reader of busy input is watched from its first idle delay at least this long: the first step of the default
     * back-off (2 ms) then costs less to wait out than a wake-up (watching every such gap meant smaller batches and
     * more latency at 10,000 records/s, docs/BENCHMARKS.md). A reader of sparse input (its last read returned at most
     * {@link PartitionReader#SPARSE_INPUT_ENTRIES} entries) is watched from its first idle delay.
     */
    public static final Duration WATCH_AFTER = Duration.ofMillis(4);

    private final RedisClient client;
    private final RedisURI uri;
    private final Duration block;
    private final String name;
    private final Object lock = new Object();
    /** Registered readers, with the {@code last-delivered-id} of their group per key once read (the floor of what they saw). */
    private final Map<PartitionReader, Map<String, String>> readers = new ConcurrentHashMap<>();
    /** Per key, the largest id a call returned. */
    private final Map<String, String> seen = new HashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong unblocks = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean unblockFailing = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread thread;
    private volatile boolean closed;
    private StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisConnection<String, String> control;
    /** Guarded by {@link #lock}: the keys of the call in flight (null when none), its connection's client id, changes. */
    private Set<String> blockedOn;
    private long blockedClientId = -1;
    private boolean reissue;
    /** Guarded by {@link #lock}: the number of the latest call. */
    private long callSeq;
    private long failureStreak;

    private InputNotifier(RedisClient client, RedisURI uri, Duration block, String name) {
        this.client = client;
        this.uri = uri;
        this.block = block;
        this.name = name;
        this.thread = new Thread(this::loop, "input-notifier-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts a notifier for the template's Redis: its connections are opened by the notifier's thread with the
     * template's client, host, port, database, TLS and credentials (as the commit connection's).
     *
     * @param block     longest time one {@code XREAD BLOCK} waits, after which it is re-issued (ms resolution)
     * @param name      for the thread's name and the logs (the instance id)
     * @return empty when the template is not on Lettuce against a standalone Redis (a cluster, or another client): the
     *         readers then poll with their back-off alone
     */
    public static Optional<InputNotifier> open(ReactiveStringRedisTemplate template, Duration block, String name) {
        if (RedisDeployment.isCluster(template)
                || !(template.getConnectionFactory() instanceof LettuceConnectionFactory factory)
                || !(factory.getNativeClient() instanceof RedisClient client)) {
            return Optional.empty();
        }
        RedisURI uri = CommitConnection.uri(factory);
        uri.setTimeout(block.plusSeconds(5));
        InputNotifier notifier = new InputNotifier(client, uri, block, name);
        notifier.thread.start();
        return Optional.of(notifier);
    }

    /**
     * Watches {@code reader}'s keys whenever it waits out an idle delay, until it stops (then it is dropped).
     * Replaces the reader's idle listener.
     */
    public void register(PartitionReader reader) {
        readers.put(reader, new ConcurrentHashMap<>());
        reader.onIdle(WATCH_AFTER, this::readerIdle);
    }

    /** @return failed or timed-out calls (each retried after a back-off) */
    public long failures() {
        return failures.get();
    }

    /** @return readers woken out of an idle delay */
    public long wakeups() {
        return wakeups.get();
    }

    /** @return {@code CLIENT UNBLOCK}s sent to re-issue a call with new keys */
    public long unblocks() {
        return unblocks.get();
    }

    /** @return {@code XREAD BLOCK} calls made */
    public long calls() {
        return calls.get();
    }

    /** @return the keys of the blocked call now, empty when none (for tests and diagnostics) */
    public Set<String> watching() {
        synchronized (lock) {
            return blockedOn == null ? Set.of() : Set.copyOf(blockedOn);
        }
    }

    /** Stops the thread and closes the connections; readers keep polling with their back-off. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        closeConnections();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A reader starts waiting out an idle delay: make sure its keys are watched. */
    private void readerIdle(PartitionReader reader) {
        long unblock = -1;
        synchronized (lock) {
            if (blockedOn == null) {
                reissue = true;        // the loop is between calls (or waiting for an idle reader)
                lock.notifyAll();
            } else if (!reissue && !blockedOn.containsAll(reader.keys())) {
                reissue = true;
                unblock = blockedClientId;
            }
        }
        if (unblock >= 0) {
            unblock(unblock);
        }
    }

    /**
     * Ends the blocked call of connection {@code clientId} with {@code CLIENT UNBLOCK} on the control connection.
     * Never blocks the caller: the first time, the control connection is opened on another thread (opening a
     * connection waits for Lettuce's event loop, and a reader may call this from that loop: it once deadlocked there).
     */
    private void unblock(long clientId) {
        StatefulRedisConnection<String, String> c = control;
        if (c == null) {
            Schedulers.boundedElastic().schedule(() -> {
                try {
                    StatefulRedisConnection<String, String> opened;
                    synchronized (this) {
                        if (closed) {
                            return;
                        }
                        opened = control;
                        if (opened == null) {
                            opened = client.connect(StringCodec.UTF8, uri);
                            control = opened;
                        }
                    }
                    sendUnblock(opened, clientId);
                } catch (RuntimeException e) {
                    unblockFailed(e);
                }
            });
            return;
        }
        sendUnblock(c, clientId);
    }

    private void sendUnblock(StatefulRedisConnection<String, String> c, long clientId) {
        try {
            unblocks.incrementAndGet();
            c.async().clientUnblock(clientId, UnblockType.TIMEOUT).whenComplete((r, e) -> {
                if (e == null) {
                    unblockFailing.set(false);
                } else if (!closed) {
                    unblockFailed(e);
                }
            });
        } catch (RuntimeException e) {
            unblockFailed(e);
        }
    }

    /** The first failure of a streak at WARN (e.g. an ACL user without CLIENT ID or CLIENT UNBLOCK), then DEBUG. */
    private void unblockFailed(Throwable e) {
        if (unblockFailing.compareAndSet(false, true)) {
            log.warn("input notifier {}: CLIENT ID or CLIENT UNBLOCK failed, so newly idle partitions are watched only when the current "
                    + "XREAD BLOCK ends (within {} ms; their readers poll meanwhile). Does the Redis user lack CLIENT ID or CLIENT UNBLOCK? {}",
                    name, block.toMillis(), RedisErrors.rootMessage(e));
        } else {
            log.debug("input notifier {}: CLIENT ID or CLIENT UNBLOCK failed again: {}", name, e.toString());
        }
    }

    private void loop() {
        while (!closed) {
            try {
                synchronized (lock) {
                    reissue = false;   // from here on, a reader becoming idle asks for another call
                }
                Map<String, String> offsets = idleOffsets();
                if (offsets.isEmpty()) {
                    synchronized (lock) {
                        if (!reissue && !closed) {
                            lock.wait(block.toMillis());
                        }
                    }
                    continue;
                }
                watch(offsets);
                succeeded();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                try {
                    failed(e);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * @return per key with an idle reader, the id to wait after: the smallest of what its idle readers saw, or what an
     *         earlier call returned when later (the readers were woken for it)
     */
    private Map<String, String> idleOffsets() throws Exception {
        Map<String, String> offsets = new LinkedHashMap<>();
        for (Map.Entry<PartitionReader, Map<String, String>> e : readers.entrySet()) {
            PartitionReader r = e.getKey();
            if (r.stopped()) {
                readers.remove(r);
                continue;
            }
            if (!r.idle() || !r.watchable(WATCH_AFTER)) {
                continue;
            }
            for (String key : r.keys()) {
                String floor = e.getValue().get(key);
                if (floor == null) {
                    floor = lastDelivered(key, r.group());
                    e.getValue().put(key, floor);
                }
                String read = r.lastReadId(key);
                String saw = read != null && StreamEntry.compareIds(read, floor) > 0 ? read : floor;
                offsets.merge(key, saw, (a, b) -> StreamEntry.compareIds(a, b) <= 0 ? a : b);
            }
        }
        synchronized (lock) {
            offsets.replaceAll((key, id) -> {
                String s = seen.get(key);
                return s != null && StreamEntry.compareIds(s, id) > 0 ? s : id;
            });
        }
        return offsets;
    }

    /** @return the group's {@code last-delivered-id} on {@code key} ({@code XINFO GROUPS}), "0-0" when not found */
    private String lastDelivered(String key, String group) throws Exception {
        StatefulRedisConnection<String, String> c = connection();
        RedisFuture<List<Object>> reply = c.async().xinfoGroups(key);
        c.flushCommands();
        List<Object> groups = reply.get(uri.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        for (Object g : groups) {
            Map<String, Object> info = new HashMap<>();
            if (g instanceof Map<?, ?> m) {
                m.forEach((k, v) -> info.put(String.valueOf(k), v));
            } else if (g instanceof List<?> l) {
                for (int i = 0; i + 1 < l.size(); i += 2) {
                    info.put(String.valueOf(l.get(i)), l.get(i + 1));
                }
            }
            if (group.equals(String.valueOf(info.get("name"))) && info.get("last-delivered-id") != null) {
                return String.valueOf(info.get("last-delivered-id"));
            }
        }
        return "0-0";
    }

    /** One blocked call over {@code offsets}' keys; wakes the readers of the keys it returns with. */
    private void watch(Map<String, String> offsets) throws Exception {
        StatefulRedisConnection<String, String> c = connection();
        List<XReadArgs.StreamOffset<String>> streams = new ArrayList<>(offsets.size());
        offsets.forEach((key, id) -> streams.add(XReadArgs.StreamOffset.from(key, id)));
        long call;
        synchronized (lock) {
            blockedOn = new LinkedHashSet<>(offsets.keySet());
            blockedClientId = -1;
            call = ++callSeq;
        }
        List<StreamMessage<String, String>> reply;
        try {
            // pipelined: the id of this connection (it changes when Lettuce reconnects) comes back before XREAD blocks;
            // it is noted when it arrives, so this thread wakes once per call, for the XREAD's reply
            RedisFuture<Long> id = c.async().clientId();
            calls.incrementAndGet();
            RedisFuture<List<StreamMessage<String, String>>> read = c.async().xread(
                    XReadArgs.Builder.block(block).count(1), streams.toArray(new XReadArgs.StreamOffset[0]));
            // one write: Redis runs both before it replies, so the XREAD is blocked by the time the id is known and a
            // CLIENT UNBLOCK sent on seeing the id cannot arrive before it (with two writes it sometimes did, and the
            // call then ran its full block time: InputNotifierTest.theWatchedKeysFollowTheAssignment, 855 ms)
            c.flushCommands();
            id.whenComplete((clientId, error) -> clientIdKnown(call, clientId, error));
            // the readers are woken on Lettuce's thread as the reply arrives: a hop to this thread less before they
            // read (it wakes too, to note what the call returned and issue the next one)
            read.thenAccept(this::wakeReaders);
            reply = read.get(uri.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            synchronized (lock) {
                blockedOn = null;
                blockedClientId = -1;
            }
        }
        if (reply == null || reply.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (StreamMessage<String, String> m : reply) {
                seen.merge(m.getStream(), m.getId(), (a, b) -> StreamEntry.compareIds(a, b) >= 0 ? a : b);
            }
        }
    }

    /**
     * Wakes the readers of the keys a call returned with. Runs on Lettuce's thread as the reply arrives ({@link
     * PartitionReader#wake()} only starts a read: it never blocks).
     */
    private void wakeReaders(List<StreamMessage<String, String>> reply) {
        if (reply == null || reply.isEmpty() || closed) {
            return;
        }
        Set<String> arrived = new HashSet<>(4);
        for (StreamMessage<String, String> m : reply) {
            arrived.add(m.getStream());
        }
        for (PartitionReader r : readers.keySet()) {
            for (String key : r.keys()) {
                if (arrived.contains(key)) {
                    if (r.wake()) {
                        wakeups.incrementAndGet();
                    }
                    break;
                }
            }
        }
    }

    /**
     * The {@code CLIENT ID} of call {@code call} came back (on Lettuce's thread): note it for {@link #readerIdle}, and
     * end the call at once when a reader of another key became idle meanwhile. Without the id (an ACL user without
     * {@code CLIENT ID}) calls still run; newly idle readers then wait for the current one to end (at most the block
     * time).
     */
    private void clientIdKnown(long call, Long clientId, Throwable error) {
        if (error != null) {
            // a refusal (e.g. NOPERM) is reported here; a lost connection fails the XREAD too and is reported by the loop
            if (!closed && RedisErrors.isErrorReply(error)) {
                unblockFailed(error);
            }
            return;
        }
        boolean unblockNow;
        synchronized (lock) {
            if (call != callSeq || blockedOn == null) {
                return; // that call is over
            }
            blockedClientId = clientId;
            unblockNow = reissue;
        }
        if (unblockNow) {
            unblock(clientId);
        }
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            if (c != null) {
                // disconnected between two calls: Lettuce would reconnect it, and it stayed open unused for good
                // beside its replacement (review, 2026-12-08)
                c.closeAsync();
                connection = null;
            }
            c = client.connect(StringCodec.UTF8, uri);
            c.setAutoFlushCommands(false); // only this thread writes here, each call's commands in one flush
            connection = c;
            if (closed) {
                c.closeAsync();
                throw new IllegalStateException("input notifier closed");
            }
        }
        return c;
    }

    private void closeConnections() {
        StatefulRedisConnection<String, String> c = connection;
        connection = null;
        if (c != null) {
            c.closeAsync();
        }
        synchronized (this) {
            StatefulRedisConnection<String, String> k = control;
            control = null;
            if (k != null) {
                k.closeAsync();
            }
        }
    }

    private void succeeded() {
        if (failureStreak > 0) {
            log.info("input notifier {}: working again after {} failed call(s)", name, failureStreak);
            failureStreak = 0;
        }
    }

    private void failed(Exception e) throws InterruptedException {
        failures.incrementAndGet();
        long delay = Math.min(MAX_RETRY_MS, 100L << Math.min(6, failureStreak));
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        String what = cause instanceof java.util.concurrent.TimeoutException
                ? "no answer within " + uri.getTimeout().toMillis() + " ms" : cause.toString();
        if (failureStreak++ == 0) {
            log.warn("input notifier {} failed, retrying in {} ms (idle readers poll meanwhile): {}", name, delay, what);
        } else {
            log.debug("input notifier {} failed again ({} in a row): {}", name, failureStreak, what);
        }
        // a call that timed out may still be blocked on the connection: start over on a new one
        StatefulRedisConnection<String, String> c = connection;
        connection = null;
        if (c != null) {
            c.closeAsync();
        }
        synchronized (lock) {
            seen.clear();
            if (!closed) {
                lock.wait(delay);
            }
        }
    }
}
