package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.stateful.TestEvents.KillSwitch;
import io.quantumtrader.streams.stateful.TestEvents.Mark;
import io.quantumtrader.streams.stateful.TestEvents.Position;
import io.quantumtrader.streams.stateful.TestEvents.Tick;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.GlobalTable;
import io.quantumtrader.streams.dsl.KeyedTable;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.TopologyException;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stream–table and stream–global-table joins (Kafka Streams semantics), on Redis and in the test driver. */
class JoinTest {

    static Topology marks() {
        TopologyBuilder b = new TopologyBuilder("marks");
        KeyedTable<String, Position> positions = b.table("positions", Position.class, Materialized.as("open-positions", Position.class));
        EventStream<String, Tick> ticks = b.stream("ticks", Tick.class);
        ticks.join(positions, (t, p) -> new Mark(t.symbol(), t.price(), p.qty(), (t.price() - p.entry()) * p.qty()),
                Named.as("mark-open-positions")).to("marks");
        ticks.leftJoin(positions, (t, p) -> new Mark(t.symbol(), t.price(), p == null ? null : p.qty(),
                p == null ? null : (t.price() - p.entry()) * p.qty()), Named.as("mark-all")).to("marks-all");
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void ticksJoinTheOpenPositionsTableAsItIsWhenTheyArrive(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, marks())) {
            h.pipe("positions", "BTC", new Position("BTC", 1, 100), 1);
            h.flush();
            h.pipe("ticks", "BTC", new Tick("BTC", 110, 1), 2);
            h.pipe("ticks", "ETH", new Tick("ETH", 50, 1), 3);          // no ETH position
            h.flush();
            h.pipe("positions", "BTC", new Position("BTC", 2, 105), 4);   // table update between ticks
            h.pipe("positions", "ETH", new Position("ETH", 1, 40), 5);
            h.flush();
            h.pipe("ticks", "BTC", new Tick("BTC", 120, 1), 6);
            h.pipe("ticks", "ETH", new Tick("ETH", 45, 1), 7);
            h.flush();
            h.pipe("positions", "BTC", null, 8);                          // position closed: tombstone
            h.flush();
            h.pipe("ticks", "BTC", new Tick("BTC", 130, 1), 9);
            h.flush();

            assertThat(h.values("marks", Mark.class)).containsExactly(
                    new Mark("BTC", 110, 1.0, 10.0), new Mark("BTC", 120, 2.0, 30.0), new Mark("ETH", 45, 1.0, 5.0));
            assertThat(h.values("marks-all", Mark.class)).containsExactly(
                    new Mark("BTC", 110, 1.0, 10.0), new Mark("ETH", 50, null, null), new Mark("BTC", 120, 2.0, 30.0),
                    new Mark("ETH", 45, 1.0, 5.0), new Mark("BTC", 130, null, null));
        }
    }

    static Topology guardedTicks() {
        TopologyBuilder b = new TopologyBuilder("guarded");
        GlobalTable<String, KillSwitch> killSwitch = b.globalTable("risk.kill_switch.activated", KillSwitch.class,
                Materialized.as("kill-switch", KillSwitch.class));
        b.stream("ticks", Tick.class)
                .leftJoin(killSwitch, (symbol, t) -> "ALL", (t, ks) -> ks != null && ks.active() ? null : t, Named.as("halt-check"))
                .filter((k, t) -> t != null, Named.as("trading-allowed"))
                .to("tradable-ticks");
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aGlobalKillSwitchReachesEveryTask(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, guardedTicks())) {
            h.pipe("ticks", "BTC", new Tick("BTC", 1, 1), 1);
            h.flush();
            h.pipe("risk.kill_switch.activated", "ALL", new KillSwitch(true, "daily loss 5.2% > 5%"), 2);
            h.flush();
            h.pipe("ticks", "BTC", new Tick("BTC", 2, 1), 3);
            h.flush();
            h.pipe("risk.kill_switch.activated", "ALL", new KillSwitch(false, "reset by operator"), 4);
            h.flush();
            h.pipe("ticks", "ETH", new Tick("ETH", 3, 1), 5);
            h.flush();
            assertThat(h.values("tradable-ticks", Tick.class)).extracting(Tick::price).containsExactly(1.0, 3.0);
        }
    }

    /**
     * A global table on a stream the catalog trims is refused at start (every run rebuilds the table from the stream: a
     * kill switch older than the retention would be forgotten after a restart); an entry its replica cannot use is
     * skipped, logged and counted once (found in review, 2026-12-05: both were silent).
     */
    @Test
    void aGlobalTableNeedsAStreamKeptWholeAndCountsTheEntriesItSkips() {
        String ns = io.quantumtrader.streams.RedisTestSupport.freshNamespace();
        StreamCatalog trimmed = new StreamCatalog(new StreamSpec("*", null, 1, 0, null),
                Map.of("risk.kill_switch.activated", new StreamSpec("risk.kill_switch.activated", "account", 1, 0, java.time.Duration.ofDays(7))));
        try (var runtime = new io.quantumtrader.streams.runtime.StreamsRuntime(guardedTicks(),
                io.quantumtrader.streams.runtime.StreamsConfig.defaults().withNamespace(ns).withCatalog(trimmed),
                io.quantumtrader.streams.RedisTestSupport.template())) {
            assertThatThrownBy(runtime::start).isInstanceOf(TopologyException.class)
                    .hasMessageContaining("global table 'kill-switch' reads 'risk.kill_switch.activated', which the catalog trims (retention PT168H)");
        }

        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        String key = new io.quantumtrader.streams.redis.StreamKeys(ns).stream("risk.kill_switch.activated", 0);
        io.quantumtrader.streams.RedisTestSupport.template().opsForStream()
                .add(key, Map.of("id", "e1", "time", "2024-01-01T00:00:00Z", "data", "{\"active\":true}")).block();   // no subject
        io.quantumtrader.streams.RedisTestSupport.template().opsForStream()
                .add(key, Map.of("id", "e2", "time", "2024-01-01T00:00:00Z", "subject", "ALL", "data", "[1,2")).block();   // not JSON
        try (var runtime = new io.quantumtrader.streams.runtime.StreamsRuntime(guardedTicks(),
                io.quantumtrader.streams.runtime.StreamsConfig.defaults().withNamespace(ns),
                io.quantumtrader.streams.RedisTestSupport.template(), registry)) {
            runtime.start();
            io.quantumtrader.streams.RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(
                    reactor.core.publisher.Flux.just(new io.quantumtrader.streams.redis.EventPublisher.Event("ticks", "BTC", new Tick("BTC", 1, 1), 1)), 10).block();
            assertThat(runtime.awaitDrained(java.time.Duration.ofSeconds(20))).isTrue();
            assertThat(io.quantumtrader.streams.RedisTestSupport.values(ns, "tradable-ticks", 0, Tick.class)).hasSize(1);
            assertThat(registry.get("qt.streams.global.entries.skipped").tag("store", "kill-switch").counters())
                    .extracting(c -> c.getId().getTag("reason") + "=" + c.count())
                    .containsExactlyInAnyOrder("null_key=1.0", "invalid_value=1.0");
        }
    }

    /**
     * An inner join with a global table drops a record whose key selector finds no table key, counted as
     * {@code null_key} (Kafka Streams' dropped-records); a left join goes on without a table value. Found by an audit
     * (2026-12-05): the inner join dropped it uncounted.
     */
    @Test
    void aRecordWhoseGlobalJoinKeyIsNullIsCountedAsDroppedByAnInnerJoin() {
        TopologyBuilder b = new TopologyBuilder("gjoin-null-key");
        GlobalTable<String, String> names = b.globalTable("names", String.class, Materialized.as("names", String.class));
        EventStream<String, String> events = b.stream("events", String.class);
        events.join(names, (k, v) -> v.startsWith("ref:") ? v.substring(4) : null, (v, name) -> v + "->" + name,
                Named.as("lookup")).to("joined");
        events.leftJoin(names, (k, v) -> v.startsWith("ref:") ? v.substring(4) : null, (v, name) -> v + "->" + name,
                Named.as("left-lookup")).to("left-joined");
        try (io.quantumtrader.streams.testing.TopologyTestDriver driver = new io.quantumtrader.streams.testing.TopologyTestDriver(
                b.build(), java.time.Instant.ofEpochMilli(1_000_000))) {
            driver.<String>createInputStream("names").pipeInput("a", "Alice", 1);
            var in = driver.<String>createInputStream("events");
            in.pipeInput("k", "ref:a", 2);
            in.pipeInput("k", "no reference", 3);
            assertThat(driver.createOutputStream("joined", String.class).readValuesToList()).containsExactly("ref:a->Alice");
            assertThat(driver.createOutputStream("left-joined", String.class).readValuesToList())
                    .containsExactly("ref:a->Alice", "no reference->null");
            assertThat(driver.droppedRecords()).containsEntry("lookup|null_key", 1L).doesNotContainKey("left-lookup|null_key");
        }
    }

    @Test
    void aJoinOfStreamsWithDifferentPartitionCountsIsRejected() {
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 1, 0, null),
                Map.of("ticks", new StreamSpec("ticks", "symbol", 4, 0, null)));
        assertThatThrownBy(() -> marks().validate(stream -> catalog.spec(stream).partitions())).isInstanceOf(TopologyException.class)
                .hasMessageContaining("'positions' (1 partitions) and 'ticks' (4 partitions)")
                .hasMessageContaining("co-partitioned");
    }

    @Test
    void describeShowsTheGlobalStoreSubtopology() {
        assertThat(guardedTicks().describe().toString())
                .contains("Sub-topology: 0 for global store (will not generate tasks)")
                .contains("Processor: kill-switch-global-table (stores: [kill-switch])");
    }

    /**
     * Keyless stream records (KIP-962, Kafka Streams 3.7): a global join looks up the key its selector maps the value
     * to, whatever the stream key; a left join with a table keeps a keyless record and joins it with {@code null}; an
     * inner join with a table drops it, counted. Found in review (2026-12-05): every keyless record was dropped.
     */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void keylessRecordsJoinAGlobalTableByTheirSelectedKeyAndALeftJoinKeepsThem(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("join-keyless");
        GlobalTable<String, String> names = b.globalTable("names", String.class, Materialized.as("names", String.class));
        KeyedTable<String, String> table = b.table("labels", String.class, Materialized.as("labels", String.class));
        EventStream<String, String> events = b.stream("events", String.class);
        events.join(names, (k, v) -> v.substring(4), (v, name) -> v + "->" + name, Named.as("lookup")).to("joined");
        events.leftJoin(table, (v, label) -> v + "->" + label, Named.as("left-lookup")).to("left-joined");
        events.join(table, (v, label) -> v + "->" + label, Named.as("inner-lookup")).to("inner-joined");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("names", "a", "Alice", 1);
            h.flush();
            h.pipe("events", null, "ref:a", 2);
            h.flush();
            assertThat(h.values("joined", String.class)).containsExactly("ref:a->Alice");
            assertThat(h.values("left-joined", String.class)).containsExactly("ref:a->null");
            assertThat(h.values("inner-joined", String.class)).isEmpty();
            assertThat(h.dropped()).as("the inner table join's keyless record").isEqualTo(1);
        }
    }
}
