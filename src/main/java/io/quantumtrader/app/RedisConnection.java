package io.quantumtrader.app;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;

/**
 * A Redis to run against: {@code REDIS_URL} ({@code redis://[:password@]host:port[/db]}) when set, otherwise an
 * embedded Redis 7.0.15 ({@code org.signal:embedded-redis}) started on a free loopback port with persistence off and
 * stopped on {@link #close()}. Never touches a Redis it did not start unless told to by {@code REDIS_URL}.
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

    /** @return {@code REDIS_URL} when set, otherwise a new embedded Redis */
    public static RedisConnection fromEnvironment() {
        String url = System.getenv("REDIS_URL");
        return url == null || url.isBlank() ? embedded() : of(url);
    }

    /**
     * @param url {@code redis://[:password@]host:port[/db]}
     * @throws IllegalArgumentException when the URL is not of that shape
     */
    public static RedisConnection of(String url) {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("REDIS_URL must look like redis://[:password@]host:port[/db], was " + url);
        }
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
        if (uri.getUserInfo() != null) {
            String[] userPass = uri.getUserInfo().split(":", 2);
            if (userPass.length == 2) {
                if (!userPass[0].isEmpty()) {
                    config.setUsername(userPass[0]);
                }
                config.setPassword(userPass[1]);
            } else {
                config.setPassword(userPass[0]);
            }
        }
        if (uri.getPath() != null && uri.getPath().length() > 1) {
            config.setDatabase(Integer.parseInt(uri.getPath().substring(1)));
        }
        return new RedisConnection(null, config, "Redis at " + uri.getHost() + ":" + config.getPort());
    }

    /** Starts an embedded Redis 7.0.15 on a free loopback port. @throws IllegalStateException when it cannot start */
    public static RedisConnection embedded() {
        int port = freePort();
        RedisServer server = RedisServer.builder()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("maxmemory-policy noeviction")
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start embedded Redis on port " + port + ": " + e.getMessage(), e);
        }
        return new RedisConnection(server, new RedisStandaloneConfiguration("127.0.0.1", port),
                "embedded Redis 7.0.15 on 127.0.0.1:" + port);
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
