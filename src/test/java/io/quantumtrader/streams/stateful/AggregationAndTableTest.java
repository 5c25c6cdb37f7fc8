package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.stateful.TestEvents.Price;
import io.quantumtrader.streams.stateful.TestEvents.Stats;
import io.quantumtrader.streams.stateful.TestEvents.Trade;
import io.quantumtrader.streams.testing.TestRecord;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** count / reduce / aggregate / table / groupBy: the same results on Redis and in the test driver. */
class AggregationAndTableTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("agg");
        EventStream<String, Trade> trades = b.stream("trades", Trade.class, Named.as("trades"));
        trades.groupByKey().count(Materialized.as("trade-counts")).toStream().to("counts");
        trades.mapValues(Trade::qty, Named.as("qty")).groupByKey()
                .reduce(Long::sum, Materialized.as("qty-sums", Long.class)).toStream().to("qty-sums");
        trades.groupByKey().aggregate(() -> new Stats(0, 0), (k, t, s) -> s.add(t), Materialized.as("stats"))
                .toStream().to("stats");
        trades.groupBy((k, t) -> t.side(), Trade.class, Named.as("by-side")).count(Materialized.as("side-counts"))
                .toStream().to("side-counts");
        b.table("prices", Price.class, Materialized.as("latest-price", Price.class)).toStream().to("price-changes");
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aggregatesPerKeyAndKeepsTheLatestTableValue(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, topology())) {
            h.pipe("trades", "A", new Trade("A", "BUY", 5), 1_000);
            h.pipe("trades", "B", new Trade("B", "SELL", 7), 2_000);
            h.pipe("trades", "A", new Trade("A", "SELL", 1), 3_000);
            h.pipe("trades", "A", new Trade("A", "BUY", 10), 4_000);
            h.pipe("prices", "A", new Price(1), 1_000);
            h.pipe("prices", "B", new Price(2), 2_000);
            h.pipe("prices", "A", new Price(3), 3_000);
            h.pipe("prices", "B", null, 4_000);
            h.pipe("prices", "C", null, 5_000); // deleting an absent key changes nothing: no update
            h.flush();

            assertThat(h.read("counts", Long.class)).extracting(TestRecord::key, TestRecord::value)
                    .containsExactly(tuple("A", 1L), tuple("B", 1L), tuple("A", 2L), tuple("A", 3L));
            assertThat(h.read("qty-sums", Long.class)).extracting(TestRecord::key, TestRecord::value)
                    .containsExactly(tuple("A", 5L), tuple("B", 7L), tuple("A", 6L), tuple("A", 16L));
            assertThat(h.values("stats", Stats.class)).containsExactly(
                    new Stats(1, 5), new Stats(1, 7), new Stats(2, 6), new Stats(3, 16));
            assertThat(h.read("side-counts", Long.class)).extracting(TestRecord::key, TestRecord::value)
                    .containsExactly(tuple("BUY", 1L), tuple("SELL", 1L), tuple("SELL", 2L), tuple("BUY", 2L));
            List<TestRecord<Price>> changes = h.read("price-changes", Price.class);
            assertThat(changes).extracting(TestRecord::key).containsExactly("A", "B", "A", "B");
            assertThat(changes).extracting(TestRecord::value).containsExactly(new Price(1), new Price(2), new Price(3), null);
            assertThat(changes).extracting(TestRecord::timestamp).containsExactly(1_000L, 2_000L, 3_000L, 4_000L);
        }
    }

    @Test
    void describeShowsStoresAndTheRepartitionStreamBetweenSubtopologies() {
        String d = topology().describe().toString();
        assertThat(d).contains("Processor: trade-counts-aggregate (stores: [trade-counts])");
        assertThat(d).contains("Sink: by-side-repartition-sink (topic: agg-by-side-repartition)");
        assertThat(d).contains("Source: by-side-repartition-source (topics: [agg-by-side-repartition])");
        assertThat(d).contains("Sub-topology: 1");
        assertThat(d).contains("Processor: latest-price-table (stores: [latest-price])");
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
