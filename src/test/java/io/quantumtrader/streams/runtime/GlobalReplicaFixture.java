package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;

/** A global table "limits-table" of stream "limits" and its entries, for the global-table replica tests. */
final class GlobalReplicaFixture {

    static final Duration T = Duration.ofSeconds(10);

    /** A limit per symbol, the table's value. */
    record Limit(String symbol, double max) {
    }

    private GlobalReplicaFixture() {
    }

    /** @return the first subject "S<i>" of {@code partition} of {@code partitions} */
    static String subjectOfPartition(int partition, int partitions) {
        for (int i = 0; ; i++) {
            if (Partitioner.partition("S" + i, partitions) == partition) {
                return "S" + i;
            }
        }
    }

    /** @return a replica of the table that adds each skip's reason to {@code skips} */
    static GlobalStoreReplica replica(String ns, StreamCatalog catalog, List<String> skips) {
        return replica(ns, catalog, skips, IngestLimits.defaults());
    }

    /** @return a replica of the table under {@code limits} that adds each skip's reason to {@code skips} */
    static GlobalStoreReplica replica(String ns, StreamCatalog catalog, List<String> skips, IngestLimits limits) {
        return new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits", new JsonSerde<>(Limit.class)),
                template(), new StreamKeys(ns), catalog, (store, entry, reason) -> skips.add(reason), limits, Duration.ZERO);
    }

    /** Appends a limit of {@code symbol} as entry {@code id} of stream partition {@code key}. */
    static void add(String key, String id, String eventId, String symbol, double max) {
        Map<String, String> fields = CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", eventId, symbol,
                new Limit(symbol, max), 1_700_000_000_000L, null));
        template().opsForStream().add(MapRecord.create(key, fields).withId(RecordId.of(id))).block(T);
    }
}
