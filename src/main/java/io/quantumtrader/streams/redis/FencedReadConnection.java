package io.quantumtrader.streams.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Fenced {@code XREADGROUP}s on a dedicated Lettuce connection (one per runtime). On a standalone Redis each read is one
 * transaction {@code MULTI; EVAL read-fence-begin.lua; EVAL deleted-unread.lua; XREADGROUP …; EVAL read-fence-end.lua;
 * EXEC} on a connection Lettuce never re-establishes (a read whose connection was lost fails, and is not sent again
 * in part or whole: {@link #FencedReadConnection(RedisClient, RedisURI)}), so the entries go from Redis to the client
 * as XREADGROUP replies them, and a read made under a lease that is no longer the caller's is undone inside the same
 * transaction (its entries leave the caller's PEL and the group's position goes back) before any other command runs:
 * the task's new owner reads them in order, as with the single-script read it replaces. Entries deleted from an input before the group read them are dead-lettered by the
 * read that would go past them ({@code deleted-unread.lib.lua}, {@link GroupRead#deletedUnread}).
 *
 * <p>Why: reading through one Lua script ({@code read-group.lua}, still used on a Redis Cluster) converts every
 * string of the reply into Lua and back; measured on Redis 7.0.15, 500 entries of five fields cost 5.4–5.9 ms of
 * Redis time that way against 2.0–2.2 ms for the transaction (docs/BENCHMARKS.md).
 *
 * <p>On a Redis Cluster a read is {@code read-group.lua} on a dedicated Lettuce cluster connection (its first key, the
 * lease, routes it to the master of the task's slot), through Lettuce's future API: until 2026-12-05 it went through
 * Spring Data Redis' reactive script executor on the shared connection, whose reply once never reached the reader
 * although Redis had run the read (a task stalled with one entry pending; docs/BENCHMARKS.md, 2026-12-05 03:23
 * section). A reply as a future has no per-element demand to lose; the standalone transaction and the commits were
 * never seen to stall that way.
 *
 * <p>Thread-safe: every read's commands are queued and flushed by this connection's {@link DispatchThread}, never
 * by the caller, so reads of several tasks never interleave inside a transaction.
 */
public final class FencedReadConnection implements AutoCloseable {

    private static final byte[] BEGIN = LuaScript.plainSource("read-fence-begin.lua");
    private static final byte[] END = LuaScript.plainSource("read-fence-end.lua");
    private static final byte[] DELETED_UNREAD = LuaScript.plainSource("deleted-unread.lua");
    /**
     * Longest a new fenced-read connection may take to connect: connects run on the dispatch thread every task's reads
     * go through, so one that hung (packets dropped) would hold them all past their {@code PartitionReader.READ_TIMEOUT}.
     */
    static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(2);

    /** The single-script read, for when Redis refuses the transaction (out of memory: every queued command is refused). */
    private static final byte[] SCRIPT_READ = LuaScript.plainSource("read-group.lua");

    /**
     * On a standalone Redis: the client of this connection's own (the template's client options, TLS included, and
     * resources, but no automatic reconnect) and where it connects; null on a Redis Cluster.
     */
    private final RedisClient client;
    private final RedisURI uri;
    /** The standalone connection, opened again on the dispatch thread when it was lost; null on a Redis Cluster. */
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    /** The Redis Cluster connection; null on a standalone Redis. */
    private final StatefulRedisClusterConnection<byte[], byte[]> cluster;
    private final DispatchThread dispatch = new DispatchThread("qt-fenced-read");
    /** Set by {@link #close()}: reads still queued on the dispatch thread open no connection. */
    private volatile boolean closed;

    private FencedReadConnection(StatefulRedisClusterConnection<byte[], byte[]> cluster) {
        this.client = null;
        this.uri = null;
        this.cluster = cluster;
    }

    /**
     * A standalone connection that is never re-established by Lettuce, so the commands of a read it lost are never sent
     * again: Lettuce counts a command queued in a MULTI as answered once Redis replied QUEUED, so after a lost connection
     * it re-sent only the rest of a read cut in two (its XREADGROUP, the undo, EXEC) on the new connection, without the
     * MULTI: the XREADGROUP ran without the lease check, and a task that had lost its lease took entries from the new
     * owner (LostReadReplyTest, the read cut in two). Now such a read fails with {@link ReadConnectionLostException}:
     * Redis ran it whole or not at all, the reader re-reads its pending entries after the last it received, and that
     * read opens a new connection ({@link #standalone()}).
     */
    private FencedReadConnection(RedisClient templateClient, RedisURI uri) {
        this.client = RedisClient.create(templateClient.getResources());
        io.lettuce.core.ClientOptions options = templateClient.getOptions();
        this.client.setOptions(options.mutate().autoReconnect(false)
                // a connect blocks the dispatch thread every task's reads go through: shorter than a read's timeout
                .socketOptions(options.getSocketOptions().mutate()
                        .connectTimeout(CONNECT_TIMEOUT).build())
                .build());
        this.uri = uri;
        this.cluster = null;
    }

    /**
     * @return a new connection to the template's Redis when it runs on Lettuce: against a standalone server the one
     *         {@link CommitConnection} would use (its TLS settings and credentials), against a Redis Cluster one of the
     *         template's cluster client (as {@link ClusterCommitConnection}); empty for another client (tasks then
     *         read through {@code read-group.lua} on the template)
     */
    public static Optional<FencedReadConnection> open(ReactiveStringRedisTemplate template) {
        if (!(template.getConnectionFactory() instanceof LettuceConnectionFactory factory)) {
            return Optional.empty();
        }
        if (factory.getNativeClient() instanceof RedisClusterClient clusterClient) {
            return Optional.of(new FencedReadConnection(clusterClient.connect(ByteArrayCodec.INSTANCE)));
        }
        if (!(factory.getNativeClient() instanceof RedisClient client)) {
            return Optional.empty();
        }
        FencedReadConnection reads = new FencedReadConnection(client, CommitConnection.uri(factory));
        try {
            reads.standalone(); // connects now: a wrong address or password fails the start, not the first read
        } catch (RuntimeException e) {
            reads.close();
            throw e;
        }
        return Optional.of(reads);
    }

    /**
     * One fenced read of up to {@code count} entries per stream.
     *
     * @param leaseKey the task's lease key; the read counts only while it holds {@code token}
     * @param scratchKey a key of the task's slot for the undo's notes ({@link StreamKeys#fencedRead}); empty after the read
     *                   (not used on a Redis Cluster, whose reads are {@code read-group.lua})
     * @param offsets  one per stream key: {@code >} for new entries, or an id to re-read the consumer's pending entries after it
     * @param seen     one per stream key: the last entry id the reader received of it ({@code -} when none), so that a
     *                 script read of new entries re-sent after its reply was lost is noticed ({@link GroupRead#resent};
     *                 with a cluster client that re-sends the commands of a lost connection)
     * @param streams  one per stream key: its logical name, and the task and partition, for the dead-letter entry of
     *                 entries found deleted before the group read them ({@link GroupRead#deletedUnread})
     * @return the entries XREADGROUP returned, as bytes, what the read found deleted unread, and whether the consumer
     *         held entries after those the reader saw ({@link GroupRead#resent}: the script then read nothing, and
     *         the reader re-reads its pending list); errors with {@link ReadConnectionLostException} when the connection was
     *         lost before the reply or could not be opened again (the read ran whole or not at all), with
     *         {@link TaskFencedException} (nothing read: the read was undone) when the lease is not the caller's, with a
     *         {@link java.util.concurrent.TimeoutException} when an attempt has not come back within
     *         {@code PartitionReader.READ_TIMEOUT} (5 s; each attempt: one refused with TRYAGAIN is sent again), or with
     *         Redis' error (e.g. NOGROUP) when the read failed
     */
    public Mono<GroupRead> read(String leaseKey, String scratchKey, String token, String group, String consumer,
                                List<String> streamKeys, List<String> offsets, List<String> seen, int count,
                                ReadStreams streams) {
        if (cluster != null) {
            // the cluster client fails the commands of a lost connection (REJECT_COMMANDS) instead of sending them again
            // TRYAGAIN (the task's slot being migrated, its keys on two masters): nothing was read, so read again
            return TryAgainRetry.retried(dispatch.send(() -> scriptRead(leaseKey, token, group, consumer, streamKeys,
                            offsets, seen, count, streams)), PartitionReader.READ_TIMEOUT)
                    .onErrorMap(ReadConnectionLostException::is, ReadConnectionLostException::new);
        }
        java.util.concurrent.atomic.AtomicReference<StatefulRedisConnection<byte[], byte[]>> sentOn =
                new java.util.concurrent.atomic.AtomicReference<>();
        return dispatch.send(() -> {
            byte[][] keys = new byte[streamKeys.size() + 2][];
            keys[0] = bytes(leaseKey);
            keys[1] = bytes(scratchKey);
            CommandArgs<byte[], byte[]> readArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE)
                    .add("GROUP").add(bytes(group)).add(bytes(consumer)).add("COUNT").add(count).add("STREAMS");
            for (int i = 0; i < streamKeys.size(); i++) {
                keys[i + 2] = bytes(streamKeys.get(i));
                readArgs.addKey(keys[i + 2]);
            }
            for (String offset : offsets) {
                readArgs.add(offset);
            }
            byte[][] beginArgs = {bytes(token), bytes(group)};
            byte[][] endArgs = {bytes(token), bytes(group), bytes(consumer), bytes(Integer.toString(count))};
            RedisFuture<List<RawStreamEntry>> read;
            RedisFuture<List<Long>> deleted;
            RedisFuture<Long> undo;
            RedisFuture<TransactionResult> exec;
            StatefulRedisConnection<byte[], byte[]> connection = standalone();
            sentOn.set(connection);
            RedisAsyncCommands<byte[], byte[]> commands = connection.async();
            commands.multi();
            commands.<Long>eval(BEGIN, ScriptOutputType.INTEGER, keys, beginArgs);
            deleted = commands.eval(DELETED_UNREAD, ScriptOutputType.MULTI, streams.deletedUnreadKeys(leaseKey, scratchKey, streamKeys),
                    streams.deletedUnreadArgs(token, group, streamKeys));
            // XREADGROUP with an output that keeps the entries as bytes (ReadGroupOutput: no maps on the I/O thread)
            read = commands.dispatch(CommandType.XREADGROUP, new ReadGroupOutput(), readArgs);
            undo = commands.eval(END, ScriptOutputType.INTEGER, keys, endArgs);
            exec = commands.exec();
            connection.flushCommands();
            return uncancellable(exec).then(uncancellable(undo)).flatMap(owned -> owned == 1L
                    // never sent twice (the connection is not re-established by Lettuce): never resent
                    ? uncancellable(read).zipWith(uncancellable(deleted),
                            (entries, totals) -> new GroupRead(entries, DeletedUnreadTotals.pairs(totals), false))
                    : owned == 2L
                    // the report of entries deleted unread was refused (its dead-letter stream cannot take entries):
                    // the read was undone, so the loss is found again once the stream is fixed
                    ? uncancellable(deleted).then(Mono.<GroupRead>error(new IllegalStateException(
                            "the read was undone as refused, but deleted-unread.lua did not fail")))
                            .onErrorMap(e -> RedisErrors.hasCode(e, "REJECTED"), FencedReadConnection::reportRefused)
                    : Mono.error(new TaskFencedException("FENCED lease " + leaseKey + " is no longer held by token "
                            + token + " (the read was undone)")))
                    // above maxmemory Redis refuses every command queued in a MULTI (EXECABORT: nothing ran), while a
                    // plain XREADGROUP still runs: read through the single script then, as before the transactions
                    .onErrorResume(e -> RedisErrors.hasCode(e, "EXECABORT"),
                            e -> dispatch.send(() -> scriptRead(leaseKey, token, group, consumer, streamKeys, offsets,
                                    seen, count, streams)));
        }).timeout(PartitionReader.READ_TIMEOUT)
                .doOnError(java.util.concurrent.TimeoutException.class, e -> retireIfCurrent(sentOn.get()))
                .onErrorMap(ReadConnectionLostException::is, ReadConnectionLostException::new);
    }

    /**
     * Retires {@code timedOut} when it is still the connection reads go out on, so the next read opens a new one: a
     * connection whose replies stopped (half-open TCP, a lost return path) was used for every read after it, each timing
     * out (found in review, 2026-12-07, of the commit connection, which had the same flaw). The read it carried ran whole
     * or not at all (one transaction); the reader re-reads its pending entries, as after any read timeout.
     */
    private void retireIfCurrent(StatefulRedisConnection<byte[], byte[]> timedOut) {
        if (timedOut == null) {
            return;
        }
        // retired, not closed at once: other tasks' reads pipelined on it may still be answered within their own
        // deadline (a Redis slow for a few seconds); closing it failed them as lost (found in review of this fix,
        // 2026-12-07: SlowReadKeepsOthersTest). The next read opens a new connection; this one is closed once every
        // read sent on it has been answered or has timed out
        dispatch.send(() -> Mono.fromRunnable(() -> {
            if (connection == timedOut) {
                connection = null;
                reactor.core.scheduler.Schedulers.parallel().schedule(timedOut::closeAsync,
                        PartitionReader.READ_TIMEOUT.toMillis() + 1_000, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        })).subscribe(ok -> { }, failed -> { });
    }

    /**
     * A reply of one of a read's six commands as a Mono whose cancellation leaves the command alone. Lettuce does not
     * write a command that is already done (cancelled) when its I/O thread comes to it: a read cancelled between the
     * flush and the write (the reader's read timeout) lost its {@code EXEC} and left {@code MULTI} open on the
     * connection, so the next read's commands joined that transaction and its reply went to the wrong caller
     * (docs/BENCHMARKS.md, 2026-12-03 16:46 UTC). Uncancelled, a read is sent whole; a caller that stopped waiting
     * leaves its entries in its consumer's PEL, as any read whose reply comes too late does.
     */
    private static <T> Mono<T> uncancellable(RedisFuture<T> reply) {
        // a reply whose caller stopped waiting (its read timed out) may still fail later, e.g. when the retired
        // connection is closed: no one waits for it, so it is logged at DEBUG, not as Reactor's "onErrorDropped" ERROR
        // with a stack trace per read (found in review, 2026-12-07: ShutdownDuringPauseTest failed in CI on such lines)
        return Mono.fromFuture(reply.toCompletableFuture(), true).contextWrite(LATE_REPLY);
    }

    /** Where a read's reply that fails after its reader stopped waiting goes: DEBUG ({@link io.quantumtrader.streams.runtime.LateErrors#afterTimeout}). */
    private static final reactor.util.context.Context LATE_REPLY = io.quantumtrader.streams.runtime.LateErrors.afterTimeout(
            "a fenced read", org.slf4j.LoggerFactory.getLogger(FencedReadConnection.class));

    /**
     * {@code read-group.lua} on this connection: the lease check and XREADGROUP in one script (its reply goes through
     * Lua). On a Redis Cluster its first key, the lease, routes it to the master of the task's slot.
     */
    private Mono<GroupRead> scriptRead(String leaseKey, String token, String group, String consumer,
                                       List<String> streamKeys, List<String> offsets, List<String> seen, int count,
                                       ReadStreams streams) {
        List<String> keyList = streams.readGroupKeys(leaseKey, streamKeys);
        List<String> argList = streams.readGroupArgs(token, group, consumer, count, offsets, seen, streamKeys);
        byte[][] keys = new byte[keyList.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = bytes(keyList.get(i));
        }
        byte[][] args = new byte[argList.size()][];
        for (int i = 0; i < args.length; i++) {
            args[i] = bytes(argList.get(i));
        }
        RedisFuture<List<Object>> reply;
        if (cluster != null) {
            reply = cluster.async().eval(SCRIPT_READ, ScriptOutputType.MULTI, keys, args);
        } else {
            StatefulRedisConnection<byte[], byte[]> connection = standalone();
            reply = connection.async().eval(SCRIPT_READ, ScriptOutputType.MULTI, keys, args);
            connection.flushCommands();
        }
        return Mono.fromCompletionStage(reply)
                .onErrorMap(e -> RedisErrors.hasCode(e, "FENCED"), e -> new TaskFencedException(RedisErrors.rootMessage(e)))
                .onErrorMap(e -> RedisErrors.hasCode(e, "REJECTED"), FencedReadConnection::reportRefused)
                .map(ReadGroupReply::read);
    }

    /**
     * @param e a read's {@code REJECTED} error: the report of entries deleted before the group read them was refused
     *          (its dead-letter stream holds another type, or its entry ids are used up; deleted-unread.lib.lua), and
     *          the read did not go past them
     * @return the error that stops the task with the reason (not transient: it fails the same way until the
     *         dead-letter stream is fixed)
     */
    static ScriptRefusedException reportRefused(Throwable e) {
        return ScriptRefusedException.rejected(ScriptRefusedException.Script.READ,
                "entries deleted unread cannot be reported, so the input is not read past them: ", e);
    }

    /**
     * @return the standalone connection, opened anew when there is none or it was lost (on the dispatch thread, so one
     *         read at a time; a connect that fails fails that read). A read's commands leave in one flush, not one
     *         write each.
     */
    private StatefulRedisConnection<byte[], byte[]> standalone() {
        if (closed) {
            // a read queued before close() ran: no new connection on a client shutting down (it would count as a lost
            // connection and be read again after a delay, on a dispatch thread that is gone)
            throw new IllegalStateException("the fenced-read connection is closed");
        }
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c == null || !c.isOpen()) {
            if (c != null) {
                c.closeAsync();
            }
            c = client.connect(ByteArrayCodec.INSTANCE, uri);
            c.setAutoFlushCommands(false);
            connection = c;
        }
        return c;
    }

    @Override
    public void close() {
        closed = true;
        if (cluster != null) {
            ConnectionClose.awaitClose(cluster);
        } else {
            StatefulRedisConnection<byte[], byte[]> c = connection;
            connection = null;
            if (c != null) {
                ConnectionClose.awaitClose(c);
            }
            client.shutdownAsync(0, 2, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null)
                    .completeOnTimeout(null, 2, java.util.concurrent.TimeUnit.SECONDS).join();
        }
        dispatch.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
