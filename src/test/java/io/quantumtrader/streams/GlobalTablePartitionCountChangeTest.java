package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.TopologyException;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A namespace keeps the partition count a global table's stream first ran with, as it does for the task streams
 * ({@link PartitionCountChangeTest}). Each run rebuilds a global table from partitions 0..count-1 of the catalog: with
 * fewer partitions the keys in the others were silently missing (nothing refused, nothing counted; the tick below was
 * priced without its limit), with more a key's older value in a higher partition could override its newer one in a
 * lower partition. Until 2026-12-06 only the task sub-topologies' streams were checked (found in review).
 */
class GlobalTablePartitionCountChangeTest {

    static StreamCatalog limitsOn(int partitions) {
        return new StreamCatalog(new StreamSpec("*", null, 1, 0, null),
                Map.of("limits", new StreamSpec("limits", null, partitions, 0, null)));
    }

    /** A symbol whose limit goes to partition 1 of 'limits' on 2 partitions: missing from the table on 1. */
    private static String symbolInPartitionOneOfTwo() {
        return IntStream.range(0, 100).mapToObj(i -> "S" + i)
                .filter(s -> Partitioner.partition(s, 2) == 1).findFirst().orElseThrow();
    }

    private static StreamsRuntime runtime(StreamsConfig config) {
        return new StreamsRuntime(HostileEntryTest.pricedWithLimits("global-count").build(), config, template());
    }

    @Test
    void aStartWithFewerPartitionsOfAGlobalTablesStreamIsRefusedAndTheTableKeepsItsKeys() {
        String ns = RedisTestSupport.freshNamespace();
        String symbol = symbolInPartitionOneOfTwo();
        StreamsConfig two = StreamsConfig.defaults().withNamespace(ns).withCatalog(limitsOn(2));
        try (StreamsRuntime runtime = runtime(two)) {
            runtime.start();
        }
        RedisTestSupport.publisher(ns, limitsOn(2)).send("limits", symbol, new Tick(symbol, 123, 1), System.currentTimeMillis()).block();
        try (StreamsRuntime runtime = runtime(two.withCatalog(limitsOn(1)))) {
            assertThatThrownBy(runtime::start).as("'limits' ran with 2 partitions, now 1")
                    .isInstanceOf(TopologyException.class)
                    .hasMessageContaining("'limits' ran with 2 partitions, the catalog now gives 1")
                    .hasMessageContaining("global table 'limits-store' reads it");
        }
        try (StreamsRuntime runtime = runtime(two)) {
            runtime.start();   // the count it ran with: the limit in partition 1 is in the table
            RedisTestSupport.publisher(ns, limitsOn(2)).send("ticks", symbol, new Tick(symbol, 1.0, 7), System.currentTimeMillis()).block();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(RedisTestSupport.values(ns, "priced", 0, PricedTick.class))
                .as("the tick priced with its limit from the global table").containsExactly(new PricedTick(symbol, 7, 123));
    }

    @Test
    void aStartWithMorePartitionsOfAGlobalTablesStreamIsRefused() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig two = StreamsConfig.defaults().withNamespace(ns).withCatalog(limitsOn(2));
        try (StreamsRuntime runtime = runtime(two)) {
            runtime.start();
        }
        try (StreamsRuntime runtime = runtime(two.withCatalog(limitsOn(3)))) {
            assertThatThrownBy(runtime::start).isInstanceOf(TopologyException.class)
                    .hasMessageContaining("'limits' ran with 2 partitions, the catalog now gives 3");
        }
    }
}
