package io.quantumtrader.streams.redis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Runs {@code commit.lua} (EVALSHA, falling back to EVAL) for one {@link CommitBatch}: fencing check, state writes,
 * outputs and acknowledgements in one atomic step.
 */
public final class CommitScript {

    private static final RedisScript<Long> SCRIPT =
            RedisScript.of(new ClassPathResource("io/quantumtrader/streams/redis/commit.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;

    public CommitScript(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * @param leaseKey the task's lease key (see {@link StreamKeys#lease})
     * @param token    the fencing token this task holds
     * @param group    the consumer group whose PEL the acks clear
     * @return the number of entries acknowledged; errors with {@link TaskFencedException} when the token is stale
     */
    public Mono<Long> commit(CommitBatch batch, String leaseKey, String token, String group) {
        return redis.execute(SCRIPT, batch.keys(leaseKey), batch.args(token, group))
                .next()
                .onErrorMap(e -> String.valueOf(e.getMessage()).contains("FENCED"),
                        e -> new TaskFencedException(e.getMessage()));
    }
}
