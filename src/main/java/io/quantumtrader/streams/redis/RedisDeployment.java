package io.quantumtrader.streams.redis;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;

/** What kind of Redis a template talks to. */
public final class RedisDeployment {

    private RedisDeployment() {
    }

    /** @return true when the template's connection factory is configured for a Redis Cluster */
    public static boolean isCluster(ReactiveRedisTemplate<?, ?> redis) {
        return redis.getConnectionFactory() instanceof LettuceConnectionFactory f && f.isClusterAware();
    }
}
