package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.KeyValue;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TimeWindows;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.record.Serde;
import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.stateful.TestEvents.Tick;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An aggregator that changes its accumulator in place and returns it — the usual Kafka Streams pattern, correct there
 * because its stores hold bytes — gets Kafka Streams' results: each update forwarded is its own value, and a failed,
 * dead-lettered attempt leaves nothing in the aggregate. Found in review (2026-12-05): the store's cache handed out the
 * stored object, so every update of a batch showed the batch's last state ([3, 3, 3] for 1, 2, 3) and each failed
 * attempt's increment stayed ([1, 6] for [1, 2]).
 */
class MutableAggregateTest {

    /** A mutable accumulator. */
    public static final class Counter {
        public long n;
    }

    /** A record whose list makes it mutable as far as its type shows. */
    public record Basket(List<String> items) {
    }

    /** A record of plain values. */
    public record Mark(String symbol, double price, long time) {
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void eachWindowedUpdateCarriesItsOwnAggregate(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("mutable-window-aggregate");
        b.stream("ticks", Tick.class)
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
                .aggregate(Counter::new, (k, t, c) -> {
                    c.n++;
                    return c;
                }, Materialized.as("counts", Counter.class))
                .toStream()
                .map((wk, c) -> KeyValue.pair(wk.key(), c.n), Named.as("unwindow"))
                .to("counts");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("ticks", "BTC", new Tick("BTC", 1, 1), 1_000);
            h.pipe("ticks", "BTC", new Tick("BTC", 2, 1), 2_000);
            h.pipe("ticks", "BTC", new Tick("BTC", 3, 1), 3_000);
            h.flush();
            assertThat(h.values("counts", Long.class)).containsExactly(1L, 2L, 3L);
        }
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aFailedAggregatorAttemptLeavesNoStateBehind(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("mutable-aggregate-failing");
        b.stream("ticks", Tick.class)
                .groupByKey()
                .aggregate(Counter::new, (k, t, c) -> {
                    c.n++;
                    if (t.price() < 0) {
                        throw new IllegalArgumentException("price " + t.price());
                    }
                    return c;
                }, Materialized.as("counts", Counter.class))
                .toStream()
                .mapValues(c -> c.n, Named.as("n"))
                .to("counts");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("ticks", "BTC", new Tick("BTC", 1, 1), 1_000);
            h.flush();
            h.pipe("ticks", "BTC", new Tick("BTC", -1, 1), 2_000);   // fails every attempt: dead-lettered
            h.flush();
            h.pipe("ticks", "BTC", new Tick("BTC", 3, 1), 3_000);
            h.flush();
            assertThat(h.deadLetters("ticks")).hasSize(1);
            assertThat(h.values("counts", Long.class)).containsExactly(1L, 2L);
        }
    }

    /**
     * A stage downstream of an aggregation that changes the forwarded aggregate in place changes neither the store nor
     * the next update, as in Kafka Streams (its store holds bytes). Found in review (2026-12-07): the store kept the
     * object the aggregator returned and forwarded, so [1001, 2002] came out and 2002 was stored, not [1001, 1002] and 2.
     */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aDownstreamChangeToAForwardedAggregateChangesNeitherTheStoreNorTheNextUpdate(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("mutable-aggregate-downstream");
        b.stream("ticks", Tick.class)
                .groupByKey()
                .aggregate(Counter::new, (k, t, c) -> {
                    c.n++;
                    return c;
                }, Materialized.as("counts", Counter.class))
                .toStream()
                .mapValues(c -> {
                    c.n += 1000;
                    return c.n;
                }, Named.as("bump"))
                .to("bumped");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("ticks", "BTC", new Tick("BTC", 1, 1), 1_000);
            h.pipe("ticks", "BTC", new Tick("BTC", 2, 1), 2_000);
            h.flush();
            assertThat(h.values("bumped", Long.class)).containsExactly(1001L, 1002L);
        }
    }

    /** A joiner that changes a global table's value in place changes neither the table nor what later records see. */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aJoinerThatMutatesAGlobalTableValueChangesNeitherTheTableNorLaterRecords(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("mutable-global");
        io.quantumtrader.streams.dsl.GlobalTable<String, Counter> limits =
                b.globalTable("limits", Counter.class, Materialized.as("limits", Counter.class));
        b.stream("ticks", Tick.class)
                .join(limits, (k, t) -> "all", (t, c) -> ++c.n, Named.as("bump"))
                .to("bumped");
        try (Harness h = Harness.of(mode, b.build())) {
            Counter five = new Counter();
            five.n = 5;
            h.pipe("limits", "all", five, 1_000);
            h.flush();
            h.pipe("ticks", "BTC", new Tick("BTC", 1, 1), 2_000);
            h.pipe("ticks", "BTC", new Tick("BTC", 2, 1), 3_000);
            h.pipe("ticks", "BTC", new Tick("BTC", 3, 1), 4_000);
            h.flush();
            assertThat(h.values("bumped", Long.class)).containsExactly(6L, 6L, 6L);
        }
    }

    @Test
    void valuesNotKnownToBeImmutableAreHandedOutAsCopiesAndRecordsOfPlainValuesAsThemselves() {
        CachedKeyValueStore<String, Counter> counters = store(StoreSpec.keyValueStore("c", Counter.class));
        Counter stored = new Counter();
        counters.put("k", stored);
        counters.get("k").n = 7;                       // changed in place, not put back: Kafka Streams loses it too
        assertThat(counters.get("k").n).isZero();
        assertThat(counters.get("k")).isNotSameAs(stored);
        assertThat(counters.all().get("k")).isNotSameAs(stored);
        assertThat(counters.approximateNumEntries()).isEqualTo(1);

        StoreSpec<String, Basket> baskets = StoreSpec.keyValueStore("b", Basket.class);
        assertThat(baskets.immutableValues()).as("a record with a List component").isFalse();
        assertThat(baskets.withImmutableValues().immutableValues()).as("declared").isTrue();
        Basket basket = new Basket(List.of("a"));
        CachedKeyValueStore<String, Basket> declared = store(baskets.withImmutableValues());
        declared.put("k", basket);
        assertThat(declared.get("k")).isSameAs(basket);

        Mark mark = new Mark("BTC", 1.5, 3);
        CachedKeyValueStore<String, Mark> marks = store(StoreSpec.keyValueStore("m", Mark.class));
        marks.put("k", mark);
        assertThat(marks.get("k")).as("a record of plain values: no copy").isSameAs(mark);
        assertThat(new StoreSpec<>("s", Serde.string(), Serde.string()).immutableValues()).isTrue();
        assertThat(new JsonSerde<>(Map.class).immutableValues()).isFalse();
    }

    private static <V> CachedKeyValueStore<String, V> store(StoreSpec<String, V> spec) {
        CachedKeyValueStore<String, V> store = new CachedKeyValueStore<>(spec, "hash");
        store.load(Map.of());
        return store;
    }
}
