package io.quantumtrader.streams.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A dedicated Lettuce connection for commit scripts. Commands are dispatched when the returned Mono is subscribed,
 * in subscription order, from the connection's {@link DispatchThread}, on one connection, so pipelined commits reach
 * Redis in the order the task issued them (the generic reactive template acquires its connection asynchronously and
 * can reorder two commands issued back to back; a command dispatched on Lettuce's I/O thread itself could overtake
 * one queued just before it). It also keeps commits off the connection the readers share.
 */
public final class CommitConnection implements OrderedScriptConnection {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CommitConnection.class);

    private final RedisClient client;
    private final RedisURI uri;
    /**
     * The connection commits go out on now. Replaced when a command on it timed out ({@link #replaceAfterTimeout}): a
     * connection whose replies stopped (a half-open TCP connection, a lost return path) while Redis and new
     * connections were fine was used for ever, each commit waiting for the command timeout, the runtime crawling at
     * a couple of commits per task a minute (found in review, 2026-12-07: {@code SilentCommitConnectionTest}).
     */
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private final DispatchThread dispatch = new DispatchThread("qt-commit");
    /** Losses of this connection ({@link #lostSince}). */
    private final ConnectionLosses losses;

    private CommitConnection(RedisClient client, RedisURI uri, StatefulRedisConnection<byte[], byte[]> connection) {
        this.client = client;
        this.uri = uri;
        this.connection = connection;
        this.losses = new ConnectionLosses(client, handler -> handler == this.connection);
    }

    /**
     * @return a new connection to the template's Redis when it runs on Lettuce against a standalone server;
     *         empty otherwise (commits then go through the template, one at a time)
     */
    public static Optional<CommitConnection> open(ReactiveStringRedisTemplate template) {
        if (!(template.getConnectionFactory() instanceof LettuceConnectionFactory factory)
                || !(factory.getNativeClient() instanceof RedisClient client)) {
            return Optional.empty();
        }
        RedisURI uri = uri(factory);
        return Optional.of(new CommitConnection(client, uri, client.connect(ByteArrayCodec.INSTANCE, uri)));
    }

    /**
     * @return where the factory connects (host, port, database), with its TLS setting and credentials, for another
     *         dedicated connection made with the factory's {@link RedisClient} (which holds the TLS trust material)
     */
    public static RedisURI uri(LettuceConnectionFactory factory) {
        RedisURI.Builder uri = RedisURI.builder().withHost(factory.getHostName()).withPort(factory.getPort())
                .withDatabase(factory.getDatabase())
                .withTimeout(factory.getClientConfiguration().getCommandTimeout());   // the factory's command timeout
        if (factory.getClientConfiguration().isUseSsl()) {
            uri.withSsl(true).withVerifyPeer(factory.getClientConfiguration().getVerifyMode());
        }
        String user = factory.getStandaloneConfiguration().getUsername();
        if (factory.getPassword() != null) {
            if (user != null) {
                uri.withAuthentication(user, factory.getPassword());
            } else {
                uri.withPassword(factory.getPassword().toCharArray());
            }
        }
        return uri.build();
    }

    @Override
    public RedisScriptingAsyncCommands<byte[], byte[]> scripting() {
        return connection.async();
    }

    /**
     * EVALSHA, or EVAL when the server has not cached the script, with the keys and arguments written out as RESP on
     * the subscribing thread ({@link EncodedScriptArgs}); dispatched on subscription, in order.
     */
    @Override
    public Mono<Long> eval(String sha1, byte[] source, byte[][] keys, byte[][] args) {
        return Mono.deferContextual(context -> dispatch.send(() -> {
                    StatefulRedisConnection<byte[], byte[]> c = connection;
                    WrittenOn writtenOn = context.getOrDefault(WrittenOn.class, null);
                    if (writtenOn != null) {
                        writtenOn.record(c, losses.count(c));
                    }
                    return replacedOnTimeout(c, Mono.fromCompletionStage(dispatch(c, CommandType.EVALSHA,
                            EncodedScriptArgs.of(sha1.getBytes(StandardCharsets.US_ASCII), keys, args))));
                }))
                .onErrorResume(e -> RedisErrors.hasCode(e, "NOSCRIPT"), e -> dispatch.send(() -> {
                    StatefulRedisConnection<byte[], byte[]> c = connection;
                    return replacedOnTimeout(c, Mono.fromCompletionStage(dispatch(c, CommandType.EVAL,
                            EncodedScriptArgs.of(source, keys, args))));
                }));
    }

    /** @return the script's integer reply */
    private static AsyncCommand<byte[], byte[], Long> dispatch(StatefulRedisConnection<byte[], byte[]> c, CommandType type,
                                                               EncodedScriptArgs args) {
        AsyncCommand<byte[], byte[], Long> command = new AsyncCommand<>(
                new Command<>(type, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args));
        c.dispatch(command);
        return command;
    }

    /** WAIT on this connection, the only one commits go out on. */
    @Override
    public Mono<Long> waitForReplicas(WrittenOn write, int replicas, long timeoutMs) {
        return dispatch.send(() -> {
            StatefulRedisConnection<byte[], byte[]> c = connection;
            return replacedOnTimeout(c, Mono.fromCompletionStage(c.async().waitForReplication(replicas, timeoutMs)));
        });
    }

    /** @return {@code reply}, replacing {@code c} when it times out ({@link #replaceAfterTimeout}) */
    private <T> Mono<T> replacedOnTimeout(StatefulRedisConnection<byte[], byte[]> c, Mono<T> reply) {
        return reply.doOnError(io.lettuce.core.RedisCommandTimeoutException.class, e -> dispatch.send(() -> Mono.fromRunnable(
                () -> replaceAfterTimeout(c))).subscribe(ok -> { }, failed -> { }));
    }

    /**
     * Replaces {@code timedOut} (when it is still the connection commits go out on) with a new connection of the same
     * client, on the dispatch thread (the commits after it wait for it), and closes it: its commands in flight fail at
     * once (their outcome unknown: the task restarts and counts them if made) instead of each waiting the timeout. A
     * new connection that cannot be made keeps the old one (the next timeout tries again).
     */
    private void replaceAfterTimeout(StatefulRedisConnection<byte[], byte[]> timedOut) {
        if (connection != timedOut || closed) {
            return;   // replaced already, or closing: a new connection would not be closed
        }
        StatefulRedisConnection<byte[], byte[]> fresh;
        try {
            fresh = client.connect(ByteArrayCodec.INSTANCE, uri);
        } catch (RuntimeException e) {
            log.warn("the commit connection to {}:{} did not answer within the command timeout, and a new one could not be "
                    + "made ({}); trying again at the next timeout", uri.getHost(), uri.getPort(), e.toString());
            return;
        }
        connection = fresh;
        timedOut.closeAsync();
        log.warn("the commit connection to {}:{} did not answer within the command timeout ({} s): replaced by a new one",
                uri.getHost(), uri.getPort(), uri.getTimeout().toSeconds());
    }

    /** A write on a connection replaced since was lost with it: a {@code WAIT} on the new one proves nothing about it. */
    @Override
    public boolean lostSince(WrittenOn write) {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        return write.lossesAtSend() < 0 || write.node() != c || losses.count(c) != write.lossesAtSend();
    }

    /** Set by {@link #close()}: no replacement after it. */
    private volatile boolean closed;

    @Override
    public void close() {
        closed = true;
        losses.close();
        ConnectionClose.awaitClose(connection);
        dispatch.close();
    }
}
