package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PartitionReader#limitEntrySize}: a read that returns an entry larger than an entry may be makes the reads
 * after it ask for one entry, and each read without one doubles the count back to the batch size; a cautious reader
 * (its task's last run ran out of memory) starts at one. Found in review (2026-12-06): reads of entries of megabytes,
 * a batch at a time, exhausted the heap before the source could refuse them ({@code HugeEntriesTest} end to end).
 */
class PartitionReaderEntrySizeTest {

    private static final int LIMIT = 1024;

    @Test
    void anOversizedEntryKeepsReadsAtOneEntryAndTheCountDoublesBackWithout() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        String key = keys.stream("a", 0);
        new StreamAdmin(template()).ensureGroup(key, "g").block();
        append(key, "x".repeat(2 * LIMIT));
        append(key, "x".repeat(2 * LIMIT));
        for (int i = 0; i < 40; i++) {
            append(key, "small");
        }
        PartitionReader reader = new PartitionReader(template(), "g", "c1", Map.of(key, "a"), 0, 16,
                Duration.ofMillis(1), Duration.ofMillis(10)).limitEntrySize(LIMIT, false);
        assertThat(reader.countCap()).isEqualTo(16);
        StepVerifier.create(reader.receiveBatches(), 0)
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).as("the first read: a batch").hasSize(16))
                .then(() -> assertThat(reader.countCap()).as("it held an oversized entry").isEqualTo(1))
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).hasSize(1))
                .then(() -> assertThat(reader.countCap()).isEqualTo(2))
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).hasSize(2))
                .then(() -> assertThat(reader.countCap()).isEqualTo(4))
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).hasSize(4))
                .then(() -> assertThat(reader.countCap()).isEqualTo(8))
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).hasSize(8))
                .then(() -> assertThat(reader.countCap()).as("back to the batch size").isEqualTo(16))
                .then(reader::stop)
                .thenRequest(1)
                .expectComplete()
                .verify(Duration.ofSeconds(20));

        PartitionReader cautious = new PartitionReader(template(), "g", "c2", Map.of(key, "a"), 0, 16,
                Duration.ofMillis(1), Duration.ofMillis(10)).limitEntrySize(LIMIT, true);
        assertThat(cautious.countCap()).isEqualTo(1);
    }

    private static void append(String key, String data) {
        template().opsForStream().add(MapRecord.create(key, Map.of("data", data))).block();
    }
}
