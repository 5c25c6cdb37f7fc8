package io.quantumtrader.streams.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * A dedicated Lettuce connection for commit scripts. Commands are dispatched when the returned Mono is subscribed,
 * in subscription order, on one connection, so pipelined commits reach Redis in the order the task issued them (the
 * generic reactive template acquires its connection asynchronously and can reorder two commands issued back to back).
 * It also keeps commits off the connection the readers share.
 */
public final class CommitConnection implements OrderedScriptConnection {

    private final StatefulRedisConnection<byte[], byte[]> connection;

    private CommitConnection(StatefulRedisConnection<byte[], byte[]> connection) {
        this.connection = connection;
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
        return Optional.of(new CommitConnection(client.connect(ByteArrayCodec.INSTANCE, uri(factory))));
    }

    /**
     * @return where the factory connects (host, port, database), with its TLS setting and credentials, for another
     *         dedicated connection made with the factory's {@link RedisClient} (which holds the TLS trust material)
     */
    static RedisURI uri(LettuceConnectionFactory factory) {
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

    @Override
    public Mono<Long> waitForReplicas(String key, int replicas, long timeoutMs) {
        return Mono.defer(() -> Mono.fromCompletionStage(connection.async().waitForReplication(replicas, timeoutMs)));
    }

    @Override
    public void close() {
        connection.closeAsync();
    }
}
