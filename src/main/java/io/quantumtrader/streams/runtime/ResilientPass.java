package io.quantumtrader.streams.runtime;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * One pass of a background job over many items (stream partitions, tasks), up to {@link #CONCURRENCY} at a time, where
 * an item that fails does not stop the pass: every item is attempted, then the pass fails naming how many failed and
 * the first, so the {@link PeriodicJob} running it counts and logs the failure. Items run concurrently because an item
 * on a Redis Cluster node that is down does not fail fast: its attempt fails after {@code StreamAdmin.ATTEMPT_TIMEOUT}
 * (5 s), and one after the other the job's timeout (30 s for the orphaned-pending check) cancelled the pass after six
 * such items, every pass at the same place (review of this class, 2026-12-06: {@code ResilientPassTest}). Until 2026-12-06 the retention trimming, the
 * stale-consumer removal and the orphaned-pending check ended their pass at the first failing item (a key of another
 * type, a Redis Cluster node down), and every item after it was never done while that one failed (found in review).
 */
final class ResilientPass {

    /**
     * Items attempted at once: 16 items on a node that is down take one attempt timeout (5 s) together, so a pass
     * within the orphaned-pending check's 30 s timeout reaches every item unless more than ~90 are on that node.
     */
    static final int CONCURRENCY = 16;

    private ResilientPass() {
    }

    /**
     * @param what  what the pass does to an item, for the error ("trim by retention")
     * @param noun  what the items are, plural, for the error ("stream partitions")
     * @param items the items, started in this order
     * @param name  an item's name for the error (a stream key, a task id)
     * @param each  the work on one item, a count (entries trimmed, consumers removed); subscribed once per pass
     * @return the sum of the counts, when every item succeeded; else an {@link IllegalStateException} once every item
     *         was attempted: "could not &lt;what&gt; 2 of 8 &lt;noun&gt;, first (to fail)
     *         &lt;name&gt;: &lt;cause&gt; (the others: 5)"
     */
    static <T> Mono<Long> over(String what, String noun, List<T> items, Function<? super T, String> name,
                               Function<? super T, ? extends Mono<Long>> each) {
        return Mono.defer(() -> {
            List<String> failed = Collections.synchronizedList(new ArrayList<>());
            return Flux.fromIterable(items)
                    .flatMap(item -> Mono.defer(() -> each.apply(item)).onErrorResume(e -> {
                        failed.add(name.apply(item) + ": " + CauseMessages.of(e));
                        return Mono.empty();
                    }), CONCURRENCY)
                    .reduce(0L, Long::sum)
                    .flatMap(sum -> failed.isEmpty() ? Mono.just(sum) : Mono.error(new IllegalStateException(
                            "could not " + what + " " + failed.size() + " of " + items.size() + " " + noun + ", first "
                                    + failed.get(0) + " (the others: " + sum + ")")));
        });
    }
}
