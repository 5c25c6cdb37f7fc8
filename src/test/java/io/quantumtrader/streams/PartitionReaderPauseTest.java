package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PartitionReader#pause}/{@link PartitionReader#resume} (Kafka's {@code KafkaConsumer.pause}): a paused key is
 * left out of the reads, its entries stay unread by the group (not pending), the other keys are read on, and once
 * resumed it is read from where it stopped — its pending entries too, when it was paused before the reader had read
 * them again (a task's aligner holding too many records of an input, {@code InputAlignment.maxHeldPerInput}).
 */
class PartitionReaderPauseTest {

    @Test
    void aPausedStreamStaysUnreadWhileTheOthersAreReadAndIsReadOnceResumed() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        Map<String, String> streamByKey = twoStreams(keys);
        String a = keys.stream("a", 0);
        String b = keys.stream("b", 0);
        List<String> aIds = append(a, 10);
        append(b, 10);
        PartitionReader reader = new PartitionReader(template(), "g", "c1", streamByKey, 0, 100,
                Duration.ofMillis(1), Duration.ofMillis(10));
        assertThat(reader.pause(a)).isTrue();
        assertThat(reader.keys()).as("what an InputNotifier watches").containsExactly(b);

        List<StreamEntry> afterResume = new ArrayList<>();
        StepVerifier.create(reader.receiveBatches(), 0)
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).extracting(StreamEntry::stream).containsOnly("b").hasSize(10))
                .then(() -> {
                    assertThat(pending(a)).as("a paused: nothing of it delivered to the group").isZero();
                    append(b, 5);
                })
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).extracting(StreamEntry::stream).containsOnly("b").hasSize(5))
                .then(() -> assertThat(pending(a)).isZero())
                .thenRequest(1)   // the reader now polls b alone (empty reads): resume ends its idle wait
                .then(() -> assertThat(reader.resume(a)).isTrue())
                .assertNext(afterResume::addAll)
                .then(reader::stop)
                .thenRequest(1)
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        assertThat(afterResume).extracting(StreamEntry::id).isEqualTo(aIds);
    }

    @Test
    void aStreamPausedBeforeItsPendingEntriesWereReadAgainHasThemReadAgainOnceResumed() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        Map<String, String> streamByKey = twoStreams(keys);
        String a = keys.stream("a", 0);
        String b = keys.stream("b", 0);
        List<String> aPending = append(a, 5);
        append(b, 5);
        // an earlier run of the same consumer read both and acknowledged nothing: ten entries pending
        PartitionReader first = new PartitionReader(template(), "g", "c1", streamByKey, 0, 100,
                Duration.ofMillis(1), Duration.ofMillis(10));
        StepVerifier.create(first.receiveBatches(), 0)
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).hasSize(10))
                .then(first::stop)
                .thenRequest(1)
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        assertThat(pending(a)).isEqualTo(5);
        List<String> aNew = append(a, 3);
        append(b, 2);

        PartitionReader reader = new PartitionReader(template(), "g", "c1", streamByKey, 0, 100,
                Duration.ofMillis(1), Duration.ofMillis(10));
        reader.pause(a);
        List<StreamEntry> ofA = new ArrayList<>();
        StepVerifier.create(reader.receiveBatches(), 0)
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).extracting(StreamEntry::stream).containsOnly("b").hasSize(5))   // b's pending
                .thenRequest(1)
                .assertNext(batch -> assertThat(batch).extracting(StreamEntry::stream).containsOnly("b").hasSize(2))   // b's new
                .thenRequest(1)
                .then(() -> reader.resume(a))
                .assertNext(ofA::addAll)   // a's pending entries, read again from its own cursor
                .thenRequest(1)
                .assertNext(ofA::addAll)   // then a's new entries
                .then(reader::stop)
                .thenRequest(1)
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        List<String> expected = new ArrayList<>(aPending);
        expected.addAll(aNew);
        assertThat(ofA).extracting(StreamEntry::id).as("every entry of a once, in order: none stranded in the PEL")
                .isEqualTo(expected);
    }

    /** @return streams "a" and "b" (partition 0), each with consumer group "g", by key */
    private static Map<String, String> twoStreams(StreamKeys keys) {
        Map<String, String> streamByKey = new LinkedHashMap<>();
        for (String stream : List.of("a", "b")) {
            String key = keys.stream(stream, 0);
            new StreamAdmin(template()).ensureGroup(key, "g").block();
            streamByKey.put(key, stream);
        }
        return streamByKey;
    }

    /** @return the ids of the {@code n} entries appended */
    private static List<String> append(String key, int n) {
        return Flux.range(0, n)
                .concatMap(i -> template().opsForStream().add(key, Map.of("data", "{\"i\":" + i + "}")), 1)
                .map(id -> id.getValue())
                .collectList().block(Duration.ofSeconds(20));
    }

    private static long pending(String key) {
        return template().opsForStream().pending(key, "g").map(p -> p.getTotalPendingMessages()).block();
    }
}
