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

    /** Two sub-topologies reading 'a': the copy to 'out' (id 0), then an audit (id 1). */
    static Topology twoReaders() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        b.stream("a", Tick.class, Named.as("a-audit-in")).mapValues(t -> t, Named.as("audit")).to("audit", Named.as("audit-sink"));
        return b.build();
    }

    /** {@link #twoReaders()} with the two sub-topologies in the other order: their ids swap, no group is made or left. */
    static Topology swappedReaders() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-audit-in")).mapValues(t -> t, Named.as("audit")).to("audit", Named.as("audit-sink"));
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        return b.build();
    }

    /** {@link #twoReaders()} with the audit removed and a different sub-topology, a risk check, added in its place (id 1). */
    static Topology auditReplacedByRisk() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        b.stream("a", Tick.class, Named.as("a-risk-in")).mapValues(t -> t, Named.as("risk")).to("risk", Named.as("risk-sink"));
        return b.build();
    }

    private static void send(String ns, int from, int to) {
        for (int i = from; i <= to; i++) {
            RedisTestSupport.publisher(ns, CATALOG).send("a", "S" + i, new Tick("S" + i, 1.0, i), System.currentTimeMillis()).block();
        }
    }

    private static void runToEnd(Topology topology, StreamsConfig config, String instance) {
        try (StreamsRuntime runtime = new StreamsRuntime(topology, config.withInstanceId(instance), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
    }

    /**
     * Gap (a) of the review of 2026-12-06: two sub-topologies of one stream swapping their ids created and left no
     * group, so each resumed the other's position and dedupe log. Here the audit's group lags two entries behind the
     * copy's (a rollback to the release before the audit ran meanwhile): after the swap, the copy read them again (7
     * outputs instead of 5) and the audit never read them (3 instead of 5).
     */
    @Test
    void aReleaseThatSwapsTheIdsOfTwoReadersOfAStreamIsRefused() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG);
        send(ns, 1, 3);
        runToEnd(twoReaders(), config, "v2");
        send(ns, 4, 5);
        runToEnd(oldRelease(), config, "v1-rollback");   // only the copy: the audit's group lags behind
        assertThat(outputs(ns, "out")).isEqualTo(5);
        assertThat(outputs(ns, "audit")).isEqualTo(3);

        try (StreamsRuntime swapped = new StreamsRuntime(swappedReaders(), config.withInstanceId("v3"), template())) {
            assertThatThrownBy(() -> {
                swapped.start();
                swapped.awaitDrained(Duration.ofSeconds(20));
            })
                    .isInstanceOf(TopologyException.class)
                    .hasMessageContaining("consumer group pricing.0 of stream 'a' was made for source a-in")
                    .hasMessageContaining("sub-topology 0 reads it with source a-audit-in");
        }
        assertThat(outputs(ns, "out")).as("nothing processed again").isEqualTo(5);
        assertThat(outputs(ns, "audit")).isEqualTo(3);

        // the release with the sub-topologies in their order resumes each where it committed
        runToEnd(twoReaders(), config, "v2-again");
        assertThat(outputs(ns, "out")).isEqualTo(5);
        assertThat(outputs(ns, "audit")).as("the audit read what it had not").isEqualTo(5);
    }

    /**
     * Gap (b) of the review of 2026-12-06: a sub-topology removed and a different one added in its place (same id, same
     * stream) resumed the removed one's group, so the new one never read the retained entries a new sub-topology reads
     * (a new group starts at the stream's first retained entry): 0 outputs instead of 3.
     */
    @Test
    void aNewSubTopologyThatTakesTheIdOfARemovedOneOnItsStreamIsRefused() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG);
        send(ns, 1, 3);
        runToEnd(twoReaders(), config, "v1");

        try (StreamsRuntime replaced = new StreamsRuntime(auditReplacedByRisk(), config.withInstanceId("v2"), template())) {
            assertThatThrownBy(() -> {
                replaced.start();
                replaced.awaitDrained(Duration.ofSeconds(20));
            })
                    .isInstanceOf(TopologyException.class)
                    .hasMessageContaining("consumer group pricing.1 of stream 'a' was made for source a-audit-in")
                    .hasMessageContaining("sub-topology 1 reads it with source a-risk-in");
        }
        assertThat(outputs(ns, "risk")).as("nothing written by the refused start").isZero();

        // the operator follows the refusal and destroys the removed sub-topology's group: the new one starts from the
        // stream's first retained entry. Its dedupe log goes with it (the group is made for another source): kept,
        // the removed one's ids hid every retained entry from the new one (0 outputs, measured before that change)
        for (int p = 0; p < 2; p++) {
            template().opsForStream().destroyGroup(new StreamKeys(ns).stream("a", p), "pricing.1").block();
        }
        runToEnd(auditReplacedByRisk(), config, "v2-again");
        assertThat(outputs(ns, "risk")).as("the new sub-topology read the retained entries").isEqualTo(3);
        assertThat(outputs(ns, "out")).as("the copy resumed").isEqualTo(3);
    }

    /**
     * Groups made before their source was recorded (a release before 2026-12-06) are not refused: the first start
     * records the source, and a later swap is refused.
     */
    @Test
    void groupsWithoutARecordedSourceStartAndAreRecordedOnTheFirstStart() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG);
        send(ns, 1, 3);
        runToEnd(twoReaders(), config, "v1");
        for (int p = 0; p < 2; p++) {   // as a release before the record left its groups
            template().delete(StreamKeys.groupReaders(new StreamKeys(ns).stream("a", p))).block();
        }
        runToEnd(twoReaders(), config, "v2");
        assertThat(template().<String, String>opsForHash().entries(StreamKeys.groupReaders(new StreamKeys(ns).stream("a", 1)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block())
                .isEqualTo(Map.of("pricing.0", "a-in", "pricing.1", "a-audit-in"));
        try (StreamsRuntime swapped = new StreamsRuntime(swappedReaders(), config.withInstanceId("v3"), template())) {
            assertThatThrownBy(swapped::start).isInstanceOf(TopologyException.class)
                    .hasMessageContaining("consumer group pricing.0 of stream 'a' was made for source a-in");
        }
    }
}
