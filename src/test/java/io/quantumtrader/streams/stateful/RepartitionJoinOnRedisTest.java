package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.KeyedTable;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.TopologyException;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.stateful.TestEvents.Position;
import io.quantumtrader.streams.stateful.TestEvents.Tick;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stream moved to partitions by value ({@code repartition}) and joined by key with a table, on Redis with 4
 * partitions. Joined with a table fed by key, a tick sat in its account's partition and its position in its symbol's:
 * the inner join missed the row and counted nothing (review 2026-12-06); that topology is now refused at start. Joined
 * with a table built from records moved the same way, the tick finds its position.
 */
class RepartitionJoinOnRedisTest {

    private static final StreamCatalog FOUR_PARTITIONS = StreamCatalog.load(new ByteArrayInputStream("""
            defaults: { partitions: 4, maxlen: 0, retention: 30d }
            streams: {}
            """.getBytes(StandardCharsets.UTF_8)));

    /** A symbol whose partition differs from the account's, so a miss would show. */
    private static final String SYMBOL = Stream.of("BTC", "ETH", "SOL", "ADA", "XRP")
            .filter(s -> Partitioner.partition(s, 4) != Partitioner.partition("acct-a", 4)).findFirst().orElseThrow();

    @Test
    void aTableFedByKeyIsRefusedAtStart() {
        TopologyBuilder b = new TopologyBuilder("by-account");
        KeyedTable<String, Position> positions = b.table("positions", Position.class, Materialized.as("open-positions", Position.class));
        b.stream("ticks", Tick.class)
                .repartition(Tick.class, (symbol, t) -> "acct-a", Named.as("ticks-by-account"))
                .join(positions, (t, p) -> p, Named.as("mark"))
                .to("marks");
        assertThatThrownBy(() -> new Harness.Redis(b.build(), FOUR_PARTITIONS).close())
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("join 'mark' reads its stream from 'by-account-ticks-by-account-repartition'");
    }

    @Test
    void aTableBuiltFromRecordsMovedTheSameWayIsJoinedInTheirPartition() {
        TopologyBuilder b = new TopologyBuilder("by-account");
        KeyedTable<String, Position> positions = b.stream("positions", Position.class)
                .repartition(Position.class, (symbol, p) -> "acct-a", Named.as("positions-by-account"))
                .groupByKey()
                .reduce((old, p) -> p, Materialized.as("open-positions", Position.class));
        b.stream("ticks", Tick.class)
                .repartition(Tick.class, (symbol, t) -> "acct-a", Named.as("ticks-by-account"))
                .join(positions, (t, p) -> p, Named.as("mark"))
                .to("marks");
        try (Harness.Redis h = new Harness.Redis(b.build(), FOUR_PARTITIONS)) {
            h.pipe("positions", SYMBOL, new Position(SYMBOL, 1, 100), 1);
            h.flush();
            h.pipe("ticks", SYMBOL, new Tick(SYMBOL, 150, 1), 2);
            h.flush();
            int marks = 0;
            for (int p = 0; p < 4; p++) {
                marks += RedisTestSupport.entries(h.ns, "marks", p).size();
            }
            assertThat(marks).isEqualTo(1);
            assertThat(h.dropped()).isZero();
        }
    }
}
