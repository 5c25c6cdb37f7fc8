package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.TopologyException;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A release that renumbers sub-topologies (one inserted before the others) would give a moved sub-topology a new
 * consumer group, created from the stream's first entry, which processed again every entry the old group had committed
 * (review of 2026-12-06: 6 outputs instead of 3). The start is now refused, naming the sub-topology and the old group
 * (RenumberedSubtopologyCheck); a release that adds sub-topologies after the existing ones, or a second reader of a
 * stream, still starts and resumes where the old groups committed.
 */
class RenumberedSubtopologyTest {

    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, 2, 0, null), Map.of());

    static Topology oldRelease() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        return b.build();
    }

    /** Sub-topology 0 now reads 'b': the old one moves to id 1. */
    static Topology renumberingRelease() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("b", Tick.class, Named.as("b-in")).mapValues(t -> t, Named.as("copy-b")).to("out-b", Named.as("out-b-sink"));
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        return b.build();
    }

    /** The new sub-topologies after the existing one, one of them a second reader of 'a'. */
    static Topology appendingRelease() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        b.stream("b", Tick.class, Named.as("b-in")).mapValues(t -> t, Named.as("copy-b")).to("out-b", Named.as("out-b-sink"));
        b.stream("a", Tick.class, Named.as("a-audit-in")).mapValues(t -> t, Named.as("audit")).to("audit", Named.as("audit-sink"));
        return b.build();
    }

    private static long outputs(String ns, String stream) {
        return RedisTestSupport.length(ns, stream, 0) + RedisTestSupport.length(ns, stream, 1);
    }

    private static StreamsConfig runOldRelease(String ns) {
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG);
        for (int i = 1; i <= 3; i++) {
            RedisTestSupport.publisher(ns, CATALOG).send("a", "S" + i, new Tick("S" + i, 1.0, i), System.currentTimeMillis()).block();
        }
        try (StreamsRuntime old = new StreamsRuntime(oldRelease(), config.withInstanceId("old"), template())) {
            old.start();
            assertThat(old.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(outputs(ns, "out")).as("the old release's outputs").isEqualTo(3);
        return config;
    }

    private static List<String> groupsOn(String ns, String stream, int partition) {
        return template().opsForStream().groups(new StreamKeys(ns).stream(stream, partition))
                .map(g -> g.groupName()).collectList().block();
    }

    @Test
    void aReleaseThatRenumbersSubTopologiesIsRefusedAndProcessesNothingAgain() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = runOldRelease(ns);
        // the old release is stopped first, as OPERATIONS.md asks for a renumbering release
        try (StreamsRuntime updated = new StreamsRuntime(renumberingRelease(), config.withInstanceId("new"), template())) {
            assertThatThrownBy(updated::start)
                    .isInstanceOf(TopologyException.class)
                    .hasMessageContaining("sub-topology 1 (source a-in) would create consumer group pricing.1 on stream 'a'")
                    .hasMessageContaining("pricing.0")
                    .hasMessageContaining("XGROUP DESTROY");
        }
        assertThat(outputs(ns, "out")).as("outputs after the refused start (no new input)").isEqualTo(3);
        assertThat(groupsOn(ns, "a", 0)).as("no group created on 'a'").containsExactly("pricing.0");
        assertThat(template().hasKey(new StreamKeys(ns).stream("b", 0)).block()).as("nothing created by the refused start").isFalse();

        // the operator knowingly destroys the old group to reprocess: the release then starts
        for (int p = 0; p < 2; p++) {
            template().opsForStream().destroyGroup(new StreamKeys(ns).stream("a", p), "pricing.0").block();
        }
        try (StreamsRuntime updated = new StreamsRuntime(renumberingRelease(), config.withInstanceId("new"), template())) {
            updated.start();
            assertThat(updated.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(outputs(ns, "out")).as("reprocessed, as the operator chose").isEqualTo(6);
    }

    @Test
    void aReleaseThatAddsSubTopologiesAfterTheOthersResumesWhereTheOldGroupsCommitted() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = runOldRelease(ns);
        try (StreamsRuntime updated = new StreamsRuntime(appendingRelease(), config.withInstanceId("new"), template())) {
            updated.start();
            assertThat(updated.awaitDrained(Duration.ofSeconds(20))).isTrue();
            RedisTestSupport.publisher(ns, CATALOG).send("a", "S4", new Tick("S4", 1.0, 4), System.currentTimeMillis()).block();
            assertThat(updated.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(outputs(ns, "out")).as("the old sub-topology resumed: only the new entry").isEqualTo(4);
        assertThat(outputs(ns, "audit")).as("the new second reader of 'a' reads it from its start").isEqualTo(4);
        assertThat(groupsOn(ns, "a", 0)).containsExactlyInAnyOrder("pricing.0", "pricing.2");
    }
}
