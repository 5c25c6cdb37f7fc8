package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.GlobalTable;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/OPERATIONS.md (null_data): "`data` is JSON `null` or blank (a table's tombstone, with a subject, is accepted by a
 * table's source ...)". A table() deletes the key on a blank-data tombstone; a globalTable() of the same stream should
 * too (same changelog). Found in review (2026-12-07): its replica decoded "" as a value, skipped the entry as
 * invalid_value and kept the key, so stream records joined a deleted value.
 */
class GlobalTableBlankTombstoneTest {

    public record Limit(String account, double max) {
    }

    static Map<String, String> blankTombstone(String stream, String key) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", "del-1");
        f.put("source", "ops");
        f.put("time", "1970-01-01T00:00:00.002Z");
        f.put("subject", key);
        f.put("data", "");   // blank: a tombstone (docs/OPERATIONS.md, null_data)
        return f;
    }

    @Test
    void aTableDeletesTheKeyOnABlankDataTombstone() {
        TopologyBuilder b = new TopologyBuilder("tbl");
        b.table("limits", Limit.class, Materialized.as("limits", Limit.class));
        try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
            d.<Limit>createInputStream("limits").pipeInput("A", new Limit("A", 10), 1);
            d.<Limit>createInputStream("limits").pipeEntry(blankTombstone("limits", "A"));
            assertThat(d.deadLetters("limits")).isEmpty();
            assertThat(d.<String, Limit>getKeyValueStore("limits").get("A")).isNull();
        }
    }

    @Test
    void aGlobalTableDeletesTheKeyOnABlankDataTombstone() {
        TopologyBuilder b = new TopologyBuilder("gtbl");
        GlobalTable<String, Limit> limits = b.globalTable("limits", Limit.class, Materialized.as("limits", Limit.class));
        b.stream("orders", String.class)
                .join(limits, (k, v) -> k, (order, limit) -> order + "<=" + limit.max(), Named.as("with-limit"))
                .to("checked");
        try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
            d.<Limit>createInputStream("limits").pipeInput("A", new Limit("A", 10), 1);
            d.<Limit>createInputStream("limits").pipeEntry(blankTombstone("limits", "A"));
            d.<String>createInputStream("orders").pipeInput("A", "buy", 3);
            assertThat(d.createOutputStream("checked", String.class).readValuesToList())
                    .as("the order joined a limit deleted before it").isEmpty();
        }
    }

    static Map<String, String> limitEntry(String id, String key, double max, long time) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("source", "ops");
        f.put("time", java.time.Instant.ofEpochMilli(time).toString());
        f.put("subject", key);
        f.put("data", "{\"account\":\"" + key + "\",\"max\":" + max + "}");
        return f;
    }

    /**
     * A producer's retry of an event, appended after a newer one, is skipped by a global table as a {@code table()}
     * skips it. Found in review (2026-12-07): the replica applied it again, and the older limit replaced the newer one.
     */
    @Test
    void aGlobalTableSkipsAnEventAppliedBefore() {
        TopologyBuilder b = new TopologyBuilder("gtbl-dup");
        GlobalTable<String, Limit> limits = b.globalTable("limits", Limit.class, Materialized.as("limits", Limit.class));
        b.stream("orders", String.class)
                .join(limits, (k, v) -> k, (order, limit) -> order + "<=" + limit.max(), Named.as("with-limit"))
                .to("checked");
        try (TopologyTestDriver d = new TopologyTestDriver(b.build())) {
            d.<Limit>createInputStream("limits").pipeEntry(limitEntry("e1", "A", 10, 1));
            d.<Limit>createInputStream("limits").pipeEntry(limitEntry("e2", "A", 20, 2));
            d.<Limit>createInputStream("limits").pipeEntry(limitEntry("e1", "A", 10, 1));   // the retry of e1
            d.<String>createInputStream("orders").pipeInput("A", "buy", 3);
            assertThat(d.createOutputStream("checked", String.class).readValuesToList()).containsExactly("buy<=20.0");
        }
    }
}
