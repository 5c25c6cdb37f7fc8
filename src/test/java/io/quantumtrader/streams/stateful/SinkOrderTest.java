package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sinks writing one stream write it in input order whatever the batch boundaries, as Kafka Streams does and the
 * test driver did (found in review, 2026-12-05: node by node over a batch, the first sink appended all its records
 * before the second, so SELL then BUY in one batch came out BUY, SELL).
 */
class SinkOrderTest {

    record Order(String side, long qty) {
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void twoSinksIntoOneStreamKeepTheInputOrder(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("two-sinks");
        var orders = b.stream("orders", Order.class);
        orders.filter((k, o) -> o.side().equals("BUY"), Named.as("buys")).to("positions", Named.as("buys-sink"));
        orders.filterNot((k, o) -> o.side().equals("BUY"), Named.as("sells"))
                .mapValues(o -> new Order(o.side(), -o.qty()), Named.as("negate"))
                .to("positions", Named.as("sells-sink"));
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("orders", "k1", new Order("SELL", 2), 1);
            h.pipe("orders", "k1", new Order("BUY", 3), 2);
            h.pipe("orders", "k1", new Order("SELL", 1), 3);
            h.pipe("orders", "k1", new Order("BUY", 5), 4);
            h.flush();
            assertThat(h.values("positions", Order.class)).extracting(Order::qty).containsExactly(-2L, 3L, -1L, 5L);
        }
    }

    /**
     * Records of one input record reach a stream two sinks write in Kafka Streams' depth-first order (the first child
     * added first), not in the order the sinks were added (found in review, 2026-12-06: {@code second.to("both");
     * first.to("both")} wrote second before first).
     */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void twoSinksOfOneStreamWriteOneInputsRecordsDepthFirst(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("sink-order");
        var orders = b.stream("orders", String.class);
        var first = orders.mapValues(v -> v + ":first", Named.as("first"));
        var second = orders.mapValues(v -> v + ":second", Named.as("second"));
        second.to("both", Named.as("second-sink"));
        first.to("both", Named.as("first-sink"));
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("orders", "o1", "o1", 1);
            h.pipe("orders", "o2", "o2", 2);
            h.flush();
            assertThat(h.values("both", String.class)).containsExactly("o1:first", "o1:second", "o2:first", "o2:second");
        }
    }
}
