package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running global table replica notices that its stream is no longer the one it read, and reads the table again from
 * the start: after the documented fix for ids ahead of the clock ({@code XDEL} then {@code XSETID … MAXDELETEDID},
 * docs/OPERATIONS.md) it read on from its last id and missed every new entry below it until the task restarted; after
 * the stream was deleted and created again it kept the deleted stream's values, which a task started since did not
 * have (found in review, 2026-12-06). Real Redis; the replica as a task refreshes it before every batch.
 */
class GlobalTableStreamResetTest {

    private static final Duration T = Duration.ofSeconds(10);

    /** A limit per symbol. */
    record Limit(String symbol, double max) {
    }

    @Test
    void afterAnIdResetTheReplicaReadsTheEntriesBelowItsLastId() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        GlobalStoreReplica replica = replica(ns);
        add(key, "5000000000000-1", "A", 10);   // an id far ahead of the clock
        replica.refresh().block(T);
        assertThat(replica.all()).containsOnlyKeys("A");

        // the fix: the entry deleted, the stream's last id set back below it; then a new entry
        template().opsForStream().delete(key, "5000000000000-1").block(T);
        template().execute(RedisScript.of("return redis.call('XSETID', KEYS[1], '1000-0', 'MAXDELETEDID', '1000-0')",
                String.class), List.of(key)).blockFirst(T);
        add(key, "2000-1", "B", 20);
        replica.refresh().block(T);
        assertThat(replica.all()).as("B read, A (deleted) gone").containsOnlyKeys("B");
        assertThat(replica.get("B")).isEqualTo(new Limit("B", 20));

        add(key, "2000-2", "C", 30);
        replica.refresh().block(T);
        assertThat(replica.all()).as("reading on from there").containsOnlyKeys("B", "C");
    }

    @Test
    void afterTheStreamWasDeletedAndCreatedAgainTheReplicaHoldsOnlyTheNewStreamsValues() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        GlobalStoreReplica replica = replica(ns);
        add(key, "1000-1", "A", 10);
        add(key, "1000-2", "B", 20);
        replica.refresh().block(T);
        assertThat(replica.all()).containsOnlyKeys("A", "B");

        template().delete(key).block(T);
        add(key, "3000-1", "C", 30);
        replica.refresh().block(T);
        assertThat(replica.all()).as("as a replica started now: C only").containsOnlyKeys("C");

        template().delete(key).block(T);
        replica.refresh().block(T);
        assertThat(replica.all()).as("the stream gone: an empty table").isEmpty();
    }

    /** Each reset a replica finds is counted ({@code qt.streams.global.resets{store}}); until 2026-12-08 only logged. */
    @Test
    void aResetIsCountedPerReplica() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        io.quantumtrader.streams.metrics.StreamsMetrics metrics = new io.quantumtrader.streams.metrics.StreamsMetrics(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "reset-test");
        GlobalStoreReplica replica = new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits",
                new JsonSerde<>(Limit.class)), template(), new StreamKeys(ns), StreamCatalog.defaults(),
                GlobalStoreReplica.SkipListener.metered(metrics), IngestLimits.defaults(), Duration.ZERO);
        add(key, "1000-1", "A", 10);
        replica.refresh().block(T);
        template().delete(key).block(T);
        add(key, "3000-1", "C", 30);
        replica.refresh().block(T);
        replica.refresh().block(T);
        assertThat(metrics.registry().find("qt.streams.global.resets").tag("store", "limits-table").counter().count())
                .as("one reset found, counted once").isEqualTo(1.0);
    }

    private static GlobalStoreReplica replica(String ns) {
        // checked at every read here (every 5 s by default: the check copies the stream's first and last entries)
        return new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits", new JsonSerde<>(Limit.class)),
                template(), new StreamKeys(ns), StreamCatalog.defaults(), (store, entry, reason) -> {
                }, IngestLimits.defaults(), Duration.ZERO);
    }

    private static void add(String key, String id, String symbol, double max) {
        Map<String, String> fields = CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "e-" + id, symbol,
                new Limit(symbol, max), 1_700_000_000_000L, null));
        template().opsForStream().add(MapRecord.create(key, fields).withId(RecordId.of(id))).block(T);
    }
}
