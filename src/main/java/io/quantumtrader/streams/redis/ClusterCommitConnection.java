package io.quantumtrader.streams.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis Cluster counterpart of {@link CommitConnection}: a dedicated Lettuce cluster connection (same seeds,
 * credentials, TLS and topology refresh as the template's client) for commit scripts. Each script goes to the master
 * of its first key's slot on that node's connection, in subscription order (dispatched from the connection's
 * {@link DispatchThread}), so a task's pipelined commits stay in order.
 *
 * <p>This class follows {@code MOVED} and {@code ASK} redirections itself instead of leaving them to Lettuce, and
 * records the node connection that applied each write ({@link WrittenOn}), so the {@code WAIT} after it goes to that
 * node: during a resharding a commit redirected to another master was applied there, while a {@code WAIT} sent to the
 * master of the client's slot map (which an {@code ASK} leaves unchanged, and a {@code MOVED} changes only after the
 * topology refresh it triggers) counted that node's replicas for a connection that had written nothing there, and
 * returned at once (ClusterCommitDurabilityTest).
 */
public final class ClusterCommitConnection implements OrderedScriptConnection {

    /** Redirections followed for one write before it fails (Lettuce's default {@code maxRedirects}). */
    static final int MAX_REDIRECTS = 5;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterCommitConnection.class);

    private final RedisClusterClient client;
    /**
     * The cluster connection commits go out on now. Replaced when a command on one of its node connections timed out
     * ({@link #replaceAfterTimeout}), as {@link CommitConnection}'s: node connections whose replies stopped were used
     * for ever, each commit waiting for the command timeout and restarting its task (29 restarts for 6 tasks in a
     * minute; SilentCommitConnectionOnClusterTest).
     */
    private volatile StatefulRedisClusterConnection<byte[], byte[]> connection;
    /** The cluster connection each node connection a script was sent on belongs to (weakly held, by identity). */
    private final java.util.Map<StatefulRedisConnection<byte[], byte[]>, StatefulRedisClusterConnection<byte[], byte[]>> parents =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    /** Set by {@link #close()}: no replacement after it. */
    private volatile boolean closed;
    private final DispatchThread dispatch = new DispatchThread("qt-commit");
    /** Losses of the client's connections, counted per node connection ({@link #lostSince}). */
    private final ConnectionLosses losses;
    /** {@code ASK} and {@code MOVED} redirections followed ({@link #redirects}). */
    private final java.util.concurrent.atomic.LongAdder asks = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder moves = new java.util.concurrent.atomic.LongAdder();
    /** A topology refresh this connection asked for after a {@code MOVED} and that has not finished. */
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /** Least time between two refreshes asked for after {@code MOVED}: 1 s, as the adaptive refresh's triggers. */
    static final long REFRESH_INTERVAL_NANOS = 1_000_000_000L;
    /** When the last refresh was asked for (nanoTime); long ago at first. */
    private volatile long lastRefreshNanos = System.nanoTime() - REFRESH_INTERVAL_NANOS;

    private ClusterCommitConnection(RedisClusterClient client, StatefulRedisClusterConnection<byte[], byte[]> connection) {
        this.client = client;
        this.connection = connection;
        this.losses = new ConnectionLosses(client, handler -> true);
    }

    /** @return a new connection when the template runs on Lettuce against a Redis Cluster, else empty */
    public static Optional<ClusterCommitConnection> open(ReactiveStringRedisTemplate template) {
        if (!(template.getConnectionFactory() instanceof LettuceConnectionFactory factory)
                || !(factory.getNativeClient() instanceof RedisClusterClient client)) {
            return Optional.empty();
        }
        return Optional.of(new ClusterCommitConnection(client, client.connect(ByteArrayCodec.INSTANCE)));
    }

    /** Lettuce's advanced cluster commands: SCRIPT LOAD goes to every node. */
    @Override
    public RedisScriptingAsyncCommands<byte[], byte[]> scripting() {
        return connection.async();
    }

    /**
     * EVALSHA (EVAL when the node has not cached the script) on the connection of the master of {@code keys[0]}'s slot,
     * following {@code MOVED}/{@code ASK} (at most {@value #MAX_REDIRECTS}; a {@code MOVED} also asks for a topology
     * refresh) and sending it again while its slot is being migrated ({@link TryAgainRetry#retriedInOrder}: pipelined
     * commits refused in turn are sent again in turn; one that still overtakes its predecessor is refused out of
     * sequence and sent again by the task's {@code CommitOrder}); dispatched on subscription, in order. Records the node
     * connection that applied it in the subscriber's {@link WrittenOn}, when there is one.
     *
     * @throws IllegalStateException (as the Mono's error) when no master serves the slot
     */
    @Override
    public Mono<Long> eval(String sha1, byte[] source, byte[][] keys, byte[][] args) {
        return TryAgainRetry.retriedInOrder(Mono.deferContextual(context -> {
            WrittenOn writtenOn = context.getOrDefault(WrittenOn.class, null);
            Script script = new Script(sha1, source, keys, args);
            return dispatch.send(() -> {
                RedisClusterNode master = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(keys[0]));
                if (master == null) {
                    return Mono.error(new IllegalStateException("no master serves the slot of "
                            + new String(keys[0], java.nio.charset.StandardCharsets.UTF_8) + " (cluster down?)"));
                }
                return evalOn(master.getUri().getHost(), master.getUri().getPort(), false, script, writtenOn, MAX_REDIRECTS);
            });
        }), dispatch.scheduler());
    }

    /** Runs on the dispatch thread: the script on the node {@code host:port}, after {@code ASKING} when {@code ask}. */
    private Mono<Long> evalOn(String host, int port, boolean ask, Script script, WrittenOn writtenOn, int redirectsLeft) {
        StatefulRedisClusterConnection<byte[], byte[]> cluster = connection;
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> nodeConnection =
                cluster.getConnectionAsync(host, port, ConnectionIntent.WRITE);
        // a node connection already open is written on at once, here on the dispatch thread, keeping commits in order;
        // one still connecting is written on once connected (dispatched again, as Lettuce does with its own redirects)
        Mono<Long> sent = nodeConnection.isDone() && !nodeConnection.isCompletedExceptionally()
                ? sendOn(cluster, nodeConnection.join(), ask, script, writtenOn)
                : Mono.fromCompletionStage(nodeConnection).flatMap(node -> dispatch.send(() -> sendOn(cluster, node, ask, script, writtenOn)));
        return sent.onErrorResume(e -> redirectsLeft > 0 && ClusterRedirect.of(e).isPresent(), e -> {
                    ClusterRedirect redirect = ClusterRedirect.of(e).orElseThrow();
                    (redirect.ask() ? asks : moves).increment();
                    if (!redirect.ask()) {
                        refreshTopology();
                    }
                    String target = redirect.host().isEmpty() ? host : redirect.host();
                    return dispatch.send(() -> evalOn(target, redirect.port(), redirect.ask(), script, writtenOn, redirectsLeft - 1));
                });
    }

    /** The script on {@code node} by SHA-1, by source when the node has not cached it; records the node that applied it. */
    private Mono<Long> sendOn(StatefulRedisClusterConnection<byte[], byte[]> cluster, StatefulRedisConnection<byte[], byte[]> node,
                              boolean ask, Script script, WrittenOn writtenOn) {
        long lossesAtSend = losses.count(node); // before the send: a loss after it makes the WAIT prove nothing
        parents.put(node, cluster);
        return replacedOnTimeout(cluster, script.send(node, ask, true)
                .onErrorResume(e -> RedisErrors.hasCode(e, "NOSCRIPT"), e -> dispatch.send(() -> script.send(node, ask, false))))
                .doOnNext(applied -> {
                    if (writtenOn != null) {
                        writtenOn.record(node, lossesAtSend);
                    }
                });
    }

    /**
     * Asks Lettuce to re-read the slot map, as its own redirection handling does on MOVED: one refresh at a time, and at
     * most one per {@link #REFRESH_INTERVAL_NANOS} (the application's {@code adaptiveRefreshTriggersTimeout}), so a
     * resharding that redirects every commit does not send {@code CLUSTER NODES} to every node back to back. A refresh
     * that cannot start (the client shutting down) lets the next MOVED try again.
     */
    private void refreshTopology() {
        long now = System.nanoTime();
        if (now - lastRefreshNanos < REFRESH_INTERVAL_NANOS || !refreshing.compareAndSet(false, true)) {
            return;
        }
        lastRefreshNanos = now;
        try {
            client.refreshPartitionsAsync().whenComplete((ok, e) -> refreshing.set(false));
        } catch (RuntimeException e) {
            refreshing.set(false);
        }
    }

    /**
     * WAIT on the node connection that applied the write ({@link WrittenOn}), so it covers that write.
     *
     * @throws IllegalStateException (as the Mono's error) when no node connection was recorded: the write did not go
     *                               through {@link #eval}
     */
    @Override
    public Mono<Long> waitForReplicas(WrittenOn write, int replicas, long timeoutMs) {
        StatefulRedisConnection<byte[], byte[]> node = write.node();
        if (node == null) {
            return Mono.error(new IllegalStateException("a WAIT needs the node that applied the write, and none was "
                    + "recorded: the write did not go through the commit connection"));
        }
        return dispatch.send(() -> replacedOnTimeout(parents.get(node),
                Mono.fromCompletionStage(node.async().waitForReplication(replicas, timeoutMs))));
    }

    /** @return {@code reply}, replacing {@code cluster} when it times out ({@link #replaceAfterTimeout}) */
    private <T> Mono<T> replacedOnTimeout(StatefulRedisClusterConnection<byte[], byte[]> cluster, Mono<T> reply) {
        return reply.doOnError(io.lettuce.core.RedisCommandTimeoutException.class, e -> dispatch.send(() -> Mono.fromRunnable(
                () -> replaceAfterTimeout(cluster))).subscribe(ok -> { }, failed -> { }));
    }

    /**
     * Replaces {@code timedOut} (when it is still the cluster connection commits go out on) with a new one of the same
     * client, on the dispatch thread (the commits after it wait for it), and closes it with its node connections: their
     * commands in flight fail at once (their outcome unknown: the task restarts and counts them if made) instead of each
     * waiting the timeout. A new connection that cannot be made keeps the old one (the next timeout tries again).
     */
    private void replaceAfterTimeout(StatefulRedisClusterConnection<byte[], byte[]> timedOut) {
        if (timedOut == null || connection != timedOut || closed) {
            return;   // replaced already, or closing: a new connection would not be closed
        }
        StatefulRedisClusterConnection<byte[], byte[]> fresh;
        try {
            fresh = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            log.warn("a node of the Redis Cluster commit connection did not answer within the command timeout, and a new "
                    + "connection could not be made ({}); trying again at the next timeout", e.toString());
            return;
        }
        connection = fresh;
        timedOut.closeAsync();
        log.warn("a node of the Redis Cluster commit connection did not answer within the command timeout: the connection "
                + "was replaced by a new one");
    }

    /**
     * @param ask {@code ASK} (the slot was being migrated and the commit's keys had moved) when true, else {@code MOVED}
     *            (the slot had moved: the client's slot map was stale)
     * @return commits and outbox forwards (this connection's writes) redirected so far that way (meter
     *         {@code qt.streams.redis.commit.redirects{kind}})
     */
    public long redirects(boolean ask) {
        return (ask ? asks : moves).sum();
    }

    /**
     * Only the losses of the node connection that applied the write count (another node's says nothing of it), and the
     * replacement of its cluster connection ({@link #replaceAfterTimeout}), which closed it.
     */
    @Override
    public boolean lostSince(WrittenOn write) {
        return write.node() == null || parents.get(write.node()) != connection
                || losses.count(write.node()) != write.lossesAtSend();
    }

    /** @return how many times a connection of the client (a node's, the template's) was lost so far (only grows) */
    public long connectionsLost() {
        return losses.count();
    }

    @Override
    public void close() {
        closed = true;
        losses.close();
        ConnectionClose.awaitClose(connection);
        dispatch.close();
    }

    /** One script call, as sent to a node. */
    private record Script(String sha1, byte[] source, byte[][] keys, byte[][] args) {

        /** Sends it (ASKING first when {@code ask}, on the same connection) by SHA-1 when {@code bySha}, else by source. */
        Mono<Long> send(StatefulRedisConnection<byte[], byte[]> node, boolean ask, boolean bySha) {
            if (ask) {
                node.async().asking();
            }
            return Mono.fromCompletionStage(bySha ? node.async().<Long>evalsha(sha1, ScriptOutputType.INTEGER, keys, args)
                    : node.async().<Long>eval(source, ScriptOutputType.INTEGER, keys, args));
        }
    }
}
