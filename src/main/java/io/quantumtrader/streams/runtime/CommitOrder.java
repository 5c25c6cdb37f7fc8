package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.CommitSequenceException;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The pipelined commits of one task run, in the order the run made them. A commit that reached Redis before its
 * predecessor is refused out of sequence by {@code commit.lua}, writing nothing; it is then sent again once, after the
 * predecessor landed (when the predecessor failed, its refusal stands and the task restarts). On a Redis Cluster a
 * commit can overtake its predecessor: the predecessor waited for a {@code TRYAGAIN} to pass or for a new node's
 * connection to open while the next commit went straight to Redis.
 */
final class CommitOrder {

    /** The outcome of the last commit sent, or null before the first. Written only by the run's commit pipeline. */
    private volatile CompletableFuture<?> last;
    private final Runnable onResent;

    /** @param onResent called when a commit is sent again after its predecessor (a meter, a log line) */
    CommitOrder(Runnable onResent) {
        this.onResent = onResent;
    }

    /**
     * Sends the next commit of the run, at once. Call in the run's commit order: {@code StreamTask} calls it when the
     * before-commit hook completed, at once in production ({@code CommitHook.NONE}); a test hook that holds one commit
     * lets the next one go first, whose refusal then waits on the commit before (and restarts the task, as before).
     *
     * @param commit  the commit (cold: subscribing sends it; subscribed a second time when sent again)
     * @param outcome what follows the commit's outcome (counters, logs), applied around the commit and its resend
     * @return the commit's outcome, never cancelled by its subscribers
     */
    <T> CompletableFuture<T> send(Mono<T> commit, UnaryOperator<Mono<T>> outcome) {
        CompletableFuture<?> predecessor = last;
        Mono<T> inOrder = predecessor == null ? commit : commit.onErrorResume(CommitSequenceException.class,
                refused -> Mono.fromFuture(predecessor, true)
                        // still a refusal (nothing written), whose log line names the predecessor's failure too: the
                        // restart WARN of whichever commit fails first then names the cause, not only "OUT_OF_SEQUENCE"
                        // (two test JVMs side by side, 2026-12-07: the refusal's WARN came before the OOM's)
                        .onErrorMap(failed -> new CommitSequenceException(failed, refused))
                        .then(Mono.defer(() -> {
                            onResent.run();
                            return commit;
                        })));
        CompletableFuture<T> landed = outcome.apply(inOrder).toFuture();
        last = landed;
        return landed;
    }
}
