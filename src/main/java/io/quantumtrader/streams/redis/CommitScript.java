package io.quantumtrader.streams.redis;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Runs {@code commit.lua} (EVALSHA, falling back to EVAL) for one {@link CommitBatch}: fencing and sequence
 * checks, every other check that can fail, then state writes, outputs, dedupe ids and acknowledgements, in one atomic
 * step that either writes everything or nothing.
 */
public final class CommitScript {

    private static final LuaScript SCRIPT = LuaScript.load("commit.lua");

    private final ReactiveStringRedisTemplate redis;
    private final OrderedScriptConnection connection;

    /**
     * @param connection a dedicated connection that dispatches commits in order, or {@code null}: then commits go
     *                   through the template and must not be pipelined ({@link #ordered()} is false)
     */
    public CommitScript(ReactiveStringRedisTemplate redis, OrderedScriptConnection connection) {
        this.redis = redis;
        this.connection = connection;
    }

    /**
     * Loads {@code commit.lua} into the server's script cache on the commit connection (SCRIPT LOAD), so that the
     * first commits of a start run EVALSHA directly. After a Redis restart the cache is empty again and commits fall
     * back to EVAL, one at a time, in order.
     *
     * @return completes when the server has the script; empty when there is no dedicated connection
     */
    public static Mono<Void> preload(OrderedScriptConnection connection) {
        return connection == null ? Mono.empty() : SCRIPT.preload(connection).then();
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
     * @param dedupe         the task's dedupe set and its bounds
     * @param run            an id of the task's run making the commit, unique per run (a random nonce): a commit Redis
     *                       made whose reply was lost, sent again by Lettuce after it reconnected, finds that this run
     *                       made that commit and returns what it acknowledged then, instead of failing
     *                       {@link CommitSequenceException} (the task would restart and the landed commit never be
     *                       counted)
     * @return the number of entries acknowledged; errors with {@link TaskFencedException} when the token is stale,
     *         {@link CommitSequenceException} when the previous commit did not happen, {@link ScriptRefusedException}
     *         when a check of the script failed (wrong key type, missing consumer group) or Redis refused the script
     *         (out of memory): in every error case nothing of the batch was written
     */
    public Mono<Long> commit(CommitBatch batch, String leaseKey, String metaKey, String token, String group,
                             long previousCommit, DedupeWindow dedupe, String run) {
        List<String> keys = batch.keys(leaseKey, metaKey, dedupe.key());
        List<Object> args = batch.args(token, group, previousCommit, dedupe.floorMs(), dedupe.maxIds(), run);
        return (connection != null ? SCRIPT.executeForLong(connection, keys, args) : SCRIPT.executeForLong(redis, keys, args))
                .onErrorMap(e -> RedisErrors.hasCode(e, "FENCED"), e -> new TaskFencedException(RedisErrors.rootMessage(e)))
                .onErrorMap(e -> RedisErrors.hasCode(e, "OUT_OF_SEQUENCE"), e -> new CommitSequenceException(RedisErrors.rootMessage(e)))
                .onErrorMap(e -> RedisErrors.hasCode(e, "REJECTED"),
                        e -> ScriptRefusedException.rejected(ScriptRefusedException.Script.COMMIT, "", e))
                .onErrorMap(e -> RedisErrors.hasCode(e, "OOM"), e -> new ScriptRefusedException(ScriptRefusedException.Script.COMMIT,
                        "Redis is out of memory (maxmemory reached, noeviction): " + RedisErrors.rootMessage(e), true));
    }
}
