package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07) of this session's changes: a sub-topology removed for good, its group destroyed as the
 * start's warning says ("if its sub-topology was removed for good, XGROUP DESTROY it on every partition"), then a later
 * release adds a new sub-topology reading the same stream; it takes the free id. Its meta hash under that id still holds
 * the removed one's 'acked.<stream>' (nothing removes it: only the "another source" path of create-group.lua does, and
 * the removed one's source had a generated name, so group-readers records none to compare with), so create-group.lua refuses the new sub-topology's group as "gone,
 * although its task committed every entry of it up to X" and advises XGROUP CREATE at X, which would make the new
 * sub-topology skip every retained entry it never processed. Before the change the group was made from the start.
 */
class RemovedThenAddedReaderTest {

    static Topology v1() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        b.stream("a", Tick.class).mapValues(t -> t, Named.as("audit")).to("audit", Named.as("audit-sink"));
        return b.build();
    }

    static Topology v2() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        return b.build();
    }

    static Topology v3() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in")).mapValues(t -> t, Named.as("copy")).to("out", Named.as("out-sink"));
        // named, as docs/OPERATIONS.md recommends for sub-topologies sharing a stream
        b.stream("a", Tick.class, Named.as("a-risk-in")).mapValues(t -> t, Named.as("risk")).to("risk", Named.as("risk-sink"));
        return b.build();
    }

    @Test
    void aNewReaderInARemovedOnesIdStartsFromTheStreamsFirstRetainedEntry() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(RenumberedSubtopologyTest.CATALOG);
        for (int i = 1; i <= 4; i++) {
            RedisTestSupport.publisher(ns, RenumberedSubtopologyTest.CATALOG).send("a", "S" + i, new Tick("S" + i, 1.0, i),
                    System.currentTimeMillis()).block();
        }
        try (StreamsRuntime r = new StreamsRuntime(v1(), config.withInstanceId("v1"), template())) {
            r.start();
            assertThat(r.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        try (StreamsRuntime r = new StreamsRuntime(v2(), config.withInstanceId("v2"), template())) {
            r.start();   // warns: pricing.1 is read by no sub-topology of this release ... XGROUP DESTROY it
            assertThat(r.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        for (int p = 0; p < 2; p++) {   // the audit was removed for good: the operator follows the warning
            template().opsForStream().destroyGroup(new StreamKeys(ns).stream("a", p), "pricing.1").block();
        }
        try (StreamsRuntime r = new StreamsRuntime(v3(), config.withInstanceId("v3"), template())) {
            r.start();
            assertThat(r.awaitDrained(Duration.ofSeconds(20))).isTrue();
            long risk = 0;
            for (int p = 0; p < 2; p++) {
                Long n = template().opsForStream().size(new StreamKeys(ns).stream("risk", p)).block();
                risk += n == null ? 0 : n;
            }
            assertThat(risk).as("the new sub-topology reads every retained entry").isEqualTo(4);
        }
    }
}
