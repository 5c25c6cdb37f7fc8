package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling update whose release adds a sub-topology: the new instance joins beside the old one. The topology of the
 * newest topology wins (first run latest in the namespace): the new instance is assigned every task, the old one hands
 * its tasks over and waits
 * until it is stopped. Found in review (2026-12-05): each instance assigned only the tasks it knew, so tasks only the
 * new release had were partly given to the old instance, which could not run them: they stayed unowned for as long as
 * the old instance lived.
 */
class TopologyChangeRollingUpdateTest {

    /** The new release: the old one's sub-topology (same id 0), and a second one that reads its output. */
    static Topology newRelease() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        FencingTokenRollbackTest.addPricing(b);   // the old release's sub-topology, built by the same code
        b.stream("priced", Tick.class, Named.as("priced-source"))
                .mapValues(t -> t, Named.as("again"))
                .to("repriced", Named.as("repriced-sink"));
        return b.build();
    }

    @Test
    void theReleaseThatJoinedLastRunsEveryTaskAndTheOldOneWaits() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(ShutdownHandOverTest.CATALOG)
                .withBatchSize(10).withLeaseTtl(Duration.ofSeconds(6));
        StreamsRuntime old = new StreamsRuntime(FencingTokenRollbackTest.topology(), config.withInstanceId("old"), template());
        old.start();
        StreamsRuntime updated = null;
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> ShutdownHandOverTest.running(old).size() == 4);
            updated = new StreamsRuntime(newRelease(), config.withInstanceId("updated"), template());
            updated.start();
            StreamsRuntime joined = updated;
            assertThat(joined.tasks()).hasSize(8);
            // every task of the new release runs, all on the instance of the new release
            await().atMost(Duration.ofSeconds(30)).until(() -> ShutdownHandOverTest.running(joined).size() == 8
                    && ShutdownHandOverTest.running(old).isEmpty());
            // and it stays so: the old instance does not take any back
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    ShutdownHandOverTest.running(joined).size() == 8 && ShutdownHandOverTest.running(old).isEmpty());
        } finally {
            old.close();
            if (updated != null) {
                updated.close();
            }
        }
    }
}
