package io.quantumtrader.streams.redis;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Runs {@code commit.lua} (EVALSHA, falling back to EVAL) for one {@link CommitBatch}: fencing check, state writes,
 * outputs and acknowledgements in one atomic step.
 */
public final class CommitScript {

    private static final LuaScript SCRIPT = LuaScript.load("commit.lua");

    private final ReactiveStringRedisTemplate redis;
    private final CommitConnection connection;

    /**
     * @param connection a dedicated connection that dispatches commits in order, or {@code null}: then commits go
     *                   through the template and must not be pipelined ({@link #ordered()} is false)
     */
    public CommitScript(ReactiveStringRedisTemplate redis, CommitConnection connection) {
        this.redis = redis;
        this.connection = connection;
    }

    /** @return true when commits reach Redis in the order they are subscribed, so they may be pipelined */
    public boolean ordered() {
        return connection != null;
    }

    /**
     * @param leaseKey       the task's lease key (see {@link StreamKeys#lease})
     * @param metaKey        the task's meta hash (see {@link StreamKeys#meta}), holding {@code commit-seq}
     * @param token          the fencing token this task holds
     * @param group          the consumer group whose PEL the acks clear
     * @param previousCommit the {@code commit-seq} this commit must follow (0 before the first commit)
     * @return the number of entries acknowledged; errors with {@link TaskFencedException} when the token is stale,
     *         {@link CommitSequenceException} when the previous commit did not happen
     */
    public Mono<Long> commit(CommitBatch batch, String leaseKey, String metaKey, String token, String group, long previousCommit) {
        List<String> keys = batch.keys(leaseKey, metaKey);
        List<String> args = batch.args(token, group, previousCommit);
        return (connection != null ? SCRIPT.executeForLong(connection, keys, args) : SCRIPT.executeForLong(redis, keys, args))
                .onErrorMap(e -> RedisErrors.hasCode(e, "FENCED"), e -> new TaskFencedException(RedisErrors.rootMessage(e)))
                .onErrorMap(e -> RedisErrors.hasCode(e, "OUT_OF_SEQUENCE"), e -> new CommitSequenceException(RedisErrors.rootMessage(e)));
    }
}
