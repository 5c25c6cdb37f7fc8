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

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final DispatchThread dispatch = new DispatchThread("qt-commit");
    /** Losses of this connection ({@link #lostSince}). */
    private final ConnectionLosses losses;

    private CommitConnection(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection) {
        this.connection = connection;
        this.losses = new ConnectionLosses(client, handler -> handler == connection);
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
        return Optional.of(new CommitConnection(client, client.connect(ByteArrayCodec.INSTANCE, uri(factory))));
    }

    /**
     * @return where the factory connects (host, port, database), with its TLS setting and credentials, for another
     *         dedicated connection made with the factory's {@link RedisClient} (which holds the TLS trust material)
     */
    public static RedisURI uri(LettuceConnectionFactory factory) {
        RedisURI.Builder uri = RedisURI.builder().withHost(factory.getHostName()).withPort(factory.getPort())
                .withDatabase(factory.getDatabase());
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
                    WrittenOn writtenOn = context.getOrDefault(WrittenOn.class, null);
                    if (writtenOn != null) {
                        writtenOn.record(connection, losses.count(connection));
                    }
                    return Mono.fromCompletionStage(dispatch(CommandType.EVALSHA,
                            EncodedScriptArgs.of(sha1.getBytes(StandardCharsets.US_ASCII), keys, args)));
                }))
                .onErrorResume(e -> RedisErrors.hasCode(e, "NOSCRIPT"), e -> dispatch.send(() -> Mono.fromCompletionStage(
                        dispatch(CommandType.EVAL, EncodedScriptArgs.of(source, keys, args)))));
    }

    /** @return the script's integer reply */
    private AsyncCommand<byte[], byte[], Long> dispatch(CommandType type, EncodedScriptArgs args) {
        AsyncCommand<byte[], byte[], Long> command = new AsyncCommand<>(
                new Command<>(type, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args));
        connection.dispatch(command);
        return command;
    }

    /** WAIT on this connection, the only one commits go out on. */
    @Override
    public Mono<Long> waitForReplicas(WrittenOn write, int replicas, long timeoutMs) {
        return dispatch.send(() -> Mono.fromCompletionStage(connection.async().waitForReplication(replicas, timeoutMs)));
    }

    @Override
    public boolean lostSince(WrittenOn write) {
        return write.lossesAtSend() < 0 || losses.count(connection) != write.lossesAtSend();
    }

    @Override
    public void close() {
        losses.close();
        ConnectionClose.awaitClose(connection);
        dispatch.close();
    }
}
