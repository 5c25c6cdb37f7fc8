package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent ingest keys an event on its input stream, CloudEvents {@code source} and {@code id}: two different events
 * that share an id on two inputs of one task (a merge), or from two sources on one stream, are both processed; a
 * producer's retry of one event on one stream is processed once. Before (2026-12-06) the id alone was the key, so the
 * second of each pair was skipped as a "duplicate".
 */
class DedupeBySourceTest {

    @Test
    void eventsAreDeduplicatedByStreamSourceAndIdNotByIdAlone() {
        String ns = RedisTestSupport.freshNamespace();
        xadd(ns, "left", "feed", "X", 1);
        xadd(ns, "right", "feed", "X", 2);        // same source and id, other input: another event for this task
        xadd(ns, "left", "feed", "Y", 3);
        xadd(ns, "left", "feed", "Y", 3);         // the producer's retry: the same event again on the same stream
        xadd(ns, "left", "desk-a", "Z", 4);
        xadd(ns, "left", "desk-b", "Z", 5);       // same id from another source: another event (CloudEvents 1.0)
        try (StreamsRuntime runtime = new StreamsRuntime(merged(), StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().duplicates()).as("only the retry").isEqualTo(1);
        }
        assertThat(RedisTestSupport.values(ns, "out", 0, Tick.class)).extracting(Tick::seq)
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
    }

    /**
     * The test driver skips the retry as the runtime does: it processed it again until 2026-12-06 (review), so a test
     * of a topology fed with retries passed in the driver on other results than the runtime's.
     */
    @Test
    void theTestDriverSkipsAProducersRetryAsTheRuntimeDoes() {
        try (TopologyTestDriver d = new TopologyTestDriver(merged())) {
            d.createInputStream("left").pipeEntry(entry("feed", "X", 1));
            d.createInputStream("right").pipeEntry(entry("feed", "X", 2));
            d.createInputStream("left").pipeEntry(entry("feed", "Y", 3));
            d.createInputStream("left").pipeEntry(entry("feed", "Y", 3));   // the producer's retry
            d.createInputStream("left").pipeEntry(entry("desk-a", "Z", 4));
            d.createInputStream("left").pipeEntry(entry("desk-b", "Z", 5));
            assertThat(d.createOutputStream("out", Tick.class).readValuesToList()).extracting(Tick::seq)
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(d.skippedDuplicates()).as("only the retry").isEqualTo(1);
        }
        // dedupe off (0 ids), as in the runtime: the retry is processed again
        try (TopologyTestDriver d = new TopologyTestDriver(merged(), java.time.Instant.EPOCH, IngestLimits.defaults()
                .withoutEventTimeSkewCheck().withoutStreamTimeLead().withDedupe(Duration.ofHours(1), 0))) {
            d.createInputStream("left").pipeEntry(entry("feed", "Y", 3));
            d.createInputStream("left").pipeEntry(entry("feed", "Y", 3));
            assertThat(d.createOutputStream("out", Tick.class).readValuesToList()).hasSize(2);
        }
    }

    private static Topology merged() {
        TopologyBuilder b = new TopologyBuilder("merged");
        b.stream("left", Tick.class, Named.as("left-in"))
                .merge(b.stream("right", Tick.class, Named.as("right-in")))
                .to("out", Named.as("out-sink"));
        return b.build();
    }

    /** A plain XADD, as a foreign producer writes it: source and id are the producer's. */
    private static void xadd(String ns, String stream, String source, String eventId, int seq) {
        template().opsForStream().add(MapRecord.create(new StreamKeys(ns).stream(stream, 0), entry(source, eventId, seq))).block();
    }

    private static Map<String, String> entry(String source, String eventId, int seq) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", eventId);
        f.put("source", source);
        f.put("time", "2023-11-14T22:13:20Z");
        f.put("data", "{\"symbol\":\"A\",\"price\":1.5,\"seq\":" + seq + "}");
        return f;
    }
}
