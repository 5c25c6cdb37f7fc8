package io.quantumtrader.streams.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.metrics.StreamsMetrics;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * qt.streams.global.entries.skipped{reason=deleted_before_read} for a running replica. Found in review (2026-12-07):
 * entries appended and trimmed between two refreshes of a running replica (one far behind) never reached it, and
 * nothing counted or said so; only a replica reading from the start counted deletions.
 */
class GlobalReplicaRunningTrimTest {

    private static final Duration T = Duration.ofSeconds(10);

    record Limit(String symbol, double max) {
    }

    /**
     * A running replica behind the stream (a long batch, a paused task): entries appended after its last id and trimmed
     * (XADD MAXLEN) before its next refresh are never read by it, exactly as for a replica started later, yet only a
     * read from the start ('-') reports deleted entries: this replica lacks their values and nothing counts them.
     */
    @Test
    void entriesTrimmedBeforeARunningReplicaReachedThemAreCounted() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = StreamCatalog.defaults();
        String key = new StreamKeys(ns).stream("limits", 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamsMetrics metrics = new StreamsMetrics(registry, "app");
        add(key, "1000-1", "a1", subject(1, catalog), 1);
        GlobalStoreReplica running = replica(ns, catalog, metrics);
        running.refresh().block(T);
        for (int i = 2; i <= 6; i++) {
            add(key, "1000-" + i, "a" + i, subject(i, catalog), i);
        }
        template().opsForStream().trim(key, 2).block(T);   // 1000-2..1000-4 go before the replica read them
        running.refresh().block(T);
        assertThat(running.all()).hasSize(3);
        assertThat(deleted(registry)).as("three entries this replica never read were deleted before it read them")
                .isEqualTo(3);
    }

    private static double deleted(SimpleMeterRegistry registry) {
        Counter c = registry.find("qt.streams.global.entries.skipped").tag("reason", "deleted_before_read").counter();
        return c == null ? 0 : c.count();
    }

    private static String subject(int n, StreamCatalog catalog) {
        int partitions = catalog.spec("limits").partitions();
        for (int i = n * 1000; ; i++) {
            if (Partitioner.partition("S" + i, partitions) == 0) {
                return "S" + i;
            }
        }
    }

    private static GlobalStoreReplica replica(String ns, StreamCatalog catalog, StreamsMetrics metrics) {
        return new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits", new JsonSerde<>(Limit.class)),
                template(), new StreamKeys(ns), catalog, GlobalStoreReplica.SkipListener.metered(metrics),
                IngestLimits.defaults(), Duration.ZERO);
    }

    private static void add(String key, String id, String eventId, String symbol, double max) {
        Map<String, String> fields = CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", eventId, symbol,
                new Limit(symbol, max), 1_700_000_000_000L, null));
        template().opsForStream().add(MapRecord.create(key, fields).withId(RecordId.of(id))).block(T);
    }
}
