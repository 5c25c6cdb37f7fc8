package io.quantumtrader.app;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * A Redis to run against: {@code REDIS_URL} ({@code redis://[[user]:password@]host[:port][/db]}) when set, otherwise a
 * Redis started on a free loopback port with persistence off and stopped on {@link #close()}: the {@code redis-server}
 * on {@code PATH} when there is one, else the embedded Redis 7.0.15 ({@code org.signal:embedded-redis}); see
 * {@link LocalRedisServer}. Never touches a Redis it did not start unless told to by {@code REDIS_URL}.
 */
public final class RedisConnection implements AutoCloseable {

    private final RedisServer embedded;
    private final LettuceConnectionFactory factory;
    private final ReactiveStringRedisTemplate template;
    private final String description;

    private RedisConnection(RedisServer embedded, RedisStandaloneConfiguration config, String description) {
        this.embedded = embedded;
        this.factory = new LettuceConnectionFactory(config);
        this.factory.afterPropertiesSet();
        this.factory.start();
        this.template = new ReactiveStringRedisTemplate(factory);
        this.description = description;
    }

    /**
     * @return {@code REDIS_URL} when set, otherwise a Redis started for this run: the {@code redis-server} on
     *         {@code PATH} when there is one (about 3x faster than the embedded build), else the embedded one
     *         ({@link LocalRedisServer#choose()}); {@link #description()} says which
     */
    public static RedisConnection fromEnvironment() {
        String url = System.getenv("REDIS_URL");
        return url == null || url.isBlank() ? local(LocalRedisServer.choose()) : of(url);
    }

    /**
     * Connects to the Redis of {@code url} and checks that it answers (PING), so a wrong address or password fails here
     * with a message naming it, not later inside the pipeline.
     *
     * @param url {@code redis://[[user]:password@]host[:port][/db]} ({@link RedisUrl})
     * @throws CliException when the URL is malformed (exit code 2), or Redis is unreachable or refuses the credentials
     *                      (exit code 3); the message names host:port and user, never the password
     */
    public static RedisConnection of(String url) {
        RedisStandaloneConfiguration config = RedisUrl.parse(url);
        String hostPort = config.getHostName() + ":" + config.getPort();
        RedisConnection connection = new RedisConnection(null, config, "Redis at " + hostPort);
        try {
            connection.verify();
        } catch (RuntimeException e) {
            connection.close();
            throw FailureMessages.redis(e, hostPort, config.getUsername());
        }
        return connection;
    }

    /** Starts an embedded Redis 7.0.15 on a free loopback port. @throws IllegalStateException when it cannot start */
    public static RedisConnection embedded() {
        return local(LocalRedisServer.EMBEDDED);
    }

    /**
     * Starts {@code binary} on a free loopback port with persistence off.
     *
     * @throws IllegalStateException when it cannot start
     */
    public static RedisConnection local(LocalRedisServer binary) {
        int port = freePort();
        var builder = RedisServer.builder();
        if (!binary.embedded()) {
            var arch = redis.embedded.util.OsArchitecture.detect();
            builder.redisExecProvider(redis.embedded.RedisExecProvider.defaultProvider()
                    .override(arch.os(), arch.arch(), binary.path().toString()));
        }
        RedisServer server = builder
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("maxmemory-policy noeviction")
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start " + binary.describe() + " on port " + port + ": " + e.getMessage(), e);
        }
        return new RedisConnection(server, new RedisStandaloneConfiguration("127.0.0.1", port),
                binary.describe() + " on 127.0.0.1:" + port);
    }

    /** PING through the shared connection, bounded by the client's connect and command timeouts. */
    private void verify() {
        try (var c = factory.getConnection()) {
            c.ping();
        }
    }

    /** @return the Redis host */
    public String host() {
        return factory.getHostName();
    }

    /** @return the Redis port */
    public int port() {
        return factory.getPort();
    }

    /** @return the reactive template (Lettuce, one shared multiplexed connection) */
    public ReactiveStringRedisTemplate template() {
        return template;
    }

    /** @return the connection factory */
    public LettuceConnectionFactory factory() {
        return factory;
    }

    /** @return where this connects, for logs and reports */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        factory.destroy();
        if (embedded != null) {
            embedded.stop();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for embedded Redis", e);
        }
    }
}
