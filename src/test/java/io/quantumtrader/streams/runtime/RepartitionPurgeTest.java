package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka Streams purges a repartition topic up to the committed offset of its reader. Found in review (2026-12-07,
 * retention): a repartition stream here kept every entry its one consumer group had read and acknowledged for the
 * catalog's retention ({@code quantum-trader-by-account-repartition}: 365 days, a second copy of every closed position;
 * signals 30 days), growing with the record count instead of staying at the group's lag.
 */
class RepartitionPurgeTest {

    private static final String STREAM = "quantum-trader-by-account-repartition";
    private static final String READER = "quantum-trader.6";

    private final StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
    private final StreamAdmin admin = new StreamAdmin(template());
    private final String key = keys.stream(STREAM, 0);
    private final io.quantumtrader.streams.metrics.StreamsMetrics metrics = new io.quantumtrader.streams.metrics.StreamsMetrics(
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "quantum-trader");
    private final RetentionTrimmer trimmer = new RetentionTrimmer(QuantumTraderTopology.build(), admin, keys,
            StreamCatalog.load(Path.of("topology/streams.yaml")), metrics);

    @Test
    void theTrimmerKnowsTheTopologysRepartitionStreamsAndTheirReaders() {
        assertThat(trimmer.repartitions()).isEqualTo(Map.of(
                "quantum-trader-ticks-by-account-repartition", "quantum-trader.3",
                "quantum-trader-signals-by-account-repartition", "quantum-trader.3",
                "quantum-trader-regimes-by-account-repartition", "quantum-trader.3",
                STREAM, READER));
    }

    @Test
    void aRepartitionStreamIsPurgedUpToWhatItsReaderAcknowledged() {
        addAnHourAgo(100);
        admin.ensureGroup(key, READER).block();
        acknowledge(read(READER, 100));

        trimmer.trimOnce().block(Duration.ofSeconds(30));

        assertThat(size()).as("entries its only reader read and acknowledged, after a pass (the last delivered one kept)")
                .isEqualTo(1L);
        assertThat(metrics.registry().get("qt.streams.retention.trimmed").tag("stream", STREAM).tag("reason", "purged")
                .counter().count()).as("counted: qt.streams.retention.trimmed").isEqualTo(99);
    }

    @Test
    void pendingAndUnreadEntriesAndThoseAnotherGroupHasNotReadAreKept() {
        addAnHourAgo(100);
        admin.ensureGroup(key, READER).block();
        List<RecordId> first = read(READER, 60);
        acknowledge(first.subList(0, 40));   // 40 acknowledged, 20 pending, 40 unread

        trimmer.trimOnce().block(Duration.ofSeconds(30));
        assertThat(size()).as("the 20 pending and the 40 unread are kept").isEqualTo(60L);

        acknowledge(first.subList(40, 60));
        admin.ensureGroup(key, "an-older-release.6").block();   // created at the end: has read nothing since
        template().opsForStream().add(MapRecord.create(key, Map.of("n", "101"))).block();
        trimmer.trimOnce().block(Duration.ofSeconds(30));
        assertThat(size()).as("a second group (from the start, as a group is created) has read nothing: all kept").isEqualTo(61L);
    }

    @Test
    void nothingIsPurgedBeforeTheReadingGroupExists() {
        addAnHourAgo(50);
        trimmer.trimOnce().block(Duration.ofSeconds(30));
        assertThat(size()).as("no group yet: every entry is unread").isEqualTo(50L);
        admin.ensureGroup(key, "someone-else").block();
        read("someone-else", 50);
        trimmer.trimOnce().block(Duration.ofSeconds(30));
        assertThat(size()).as("another group read them all; the reader has not been created").isEqualTo(50L);
    }

    private void addAnHourAgo(int n) {
        long start = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        for (int i = 1; i <= n; i++) {
            template().opsForStream().add(MapRecord.create(key, Map.of("n", "" + i)).withId(RecordId.of(start + i, 0))).block();
        }
    }

    private List<RecordId> read(String group, int count) {
        return template().opsForStream().read(Consumer.from(group, "c"), StreamReadOptions.empty().count(count),
                StreamOffset.create(key, ReadOffset.lastConsumed())).map(r -> r.getId()).collectList().block();
    }

    private void acknowledge(List<RecordId> ids) {
        template().opsForStream().acknowledge(key, READER, ids.toArray(RecordId[]::new)).block();
    }

    private long size() {
        return template().opsForStream().size(key).block();
    }
}
