package io.quantumtrader.streams;

import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.awaitility.Awaitility.await;

/**
 * Where the rolling-update tests start: {@code old-1} runs the old release ({@link FencingTokenRollbackTest#topology()},
 * 4 tasks), then {@code new-1} the new one ({@link TopologyChangeRollingUpdateTest#newRelease()}, a sub-topology added:
 * 8 tasks), which takes every task. On the shared test Redis, lease TTL 6 s.
 *
 * @param config the configuration both instances were started with (their instance ids aside)
 * @param old    {@code old-1}, running nothing once {@code updated} took the tasks
 * @param updated {@code new-1}, running all 8 tasks
 */
record RollingUpdateStart(StreamsConfig config, StreamsRuntime old, StreamsRuntime updated) {

    /**
     * Starts both in namespace {@code ns}, each added to {@code all} (for the test to close) as soon as it exists.
     */
    static RollingUpdateStart begin(String ns, List<StreamsRuntime> all) {
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(ShutdownHandOverTest.CATALOG)
                .withBatchSize(10).withLeaseTtl(Duration.ofSeconds(6));
        StreamsRuntime old = new StreamsRuntime(FencingTokenRollbackTest.topology(), config.withInstanceId("old-1"), template());
        all.add(old);
        old.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> ShutdownHandOverTest.running(old).size() == 4);
        StreamsRuntime updated = new StreamsRuntime(TopologyChangeRollingUpdateTest.newRelease(), config.withInstanceId("new-1"), template());
        all.add(updated);
        updated.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> ShutdownHandOverTest.running(updated).size() == 8);
        return new RollingUpdateStart(config, old, updated);
    }

    /**
     * An old-release pod, {@code old-2}, (re)joins while the rollout is under way (added to {@code all}); then asserts
     * that {@code new-1} keeps the tasks of the sub-topology only the new release has ({@code 1_0}..{@code 1_3}) for
     * 12 s, two lease TTLs, and prints what each instance ran at the end, followed by {@code more}.
     *
     * @return {@code old-2}
     */
    StreamsRuntime oldPodJoinsAndTheNewKeepsItsTasks(List<StreamsRuntime> all, Supplier<String> more) {
        StreamsRuntime oldAgain = new StreamsRuntime(FencingTokenRollbackTest.topology(), config.withInstanceId("old-2"), template());
        all.add(oldAgain);
        oldAgain.start();
        long t0 = System.nanoTime();
        try {
            await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(15)).until(() ->
                    ShutdownHandOverTest.running(updated).containsAll(List.of("1_0", "1_1", "1_2", "1_3")));
        } finally {
            System.out.printf("after %d ms: new-1 runs %s, old-1 runs %s, old-2 runs %s%s%n",
                    (System.nanoTime() - t0) / 1_000_000, ShutdownHandOverTest.running(updated),
                    ShutdownHandOverTest.running(old), ShutdownHandOverTest.running(oldAgain), more.get());
        }
        return oldAgain;
    }
}
