package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader of several streams splits its batch size (XREADGROUP's one COUNT for every stream) among the streams that
 * had more to read last time: a task whose other inputs have caught up reads whole batches of the one that has not,
 * instead of a third of one (the replay's portfolio task, docs/BENCHMARKS.md 2026-12-04 08:37 section).
 */
class PartitionReaderCountSplitTest {

    @Test
    void theBatchGoesToTheStreamsThatHaveMoreAndIsSplitAgainWhenTheOthersGetEntries() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        Map<String, String> streamByKey = threeStreams(keys);
        String a = keys.stream("a", 0);
        String b = keys.stream("b", 0);
        append(a, 1_000);
        PartitionReader reader = new PartitionReader(template(), "g", "c1", streamByKey, 0, 300,
                Duration.ofMillis(1), Duration.ofMillis(10));

        StepVerifier.create(reader.receiveBatches().map(List::size), 0)
                .thenRequest(1)
                .expectNext(100)   // nothing known yet: a third each
                .thenRequest(3)
                .expectNext(300, 300, 300)   // only "a" returned all it was asked for: it gets the whole batch
                .then(() -> {
                    append(a, 500);
                    append(b, 50);
                })
                .thenRequest(1)
                .expectNext(350)   // "a" 300 and "b" its 50: at most the batch size per stream
                .thenRequest(1)
                .expectNext(200)   // the rest of "a"
                .then(() -> {
                    append(a, 400);
                    append(b, 400);
                })
                .thenRequest(1)
                .expectNext(200)   // none returned all it was asked for last time: a third each, 100 of "a" and "b", "c" has none
                .thenRequest(1)
                .expectNext(300)   // "a" and "b" full: 150 each
                .then(reader::stop) // no demand: no read in flight, the flux completes at once
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        assertThat(reader.entriesRead()).isEqualTo(1_000 + 550 + 500);
    }

    @Test
    void entryLevelDemandKeepsTheEvenSplitSoWhatIsReadStaysBoundedByWhatWasRequested() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        Map<String, String> streamByKey = threeStreams(keys);
        append(keys.stream("a", 0), 100);
        PartitionReader reader = new PartitionReader(template(), "g", "c1", streamByKey, 0, 300,
                Duration.ofMillis(1), Duration.ofMillis(10));

        StepVerifier.create(reader.receive(), 0)
                .thenRequest(3)
                .expectNextCount(3)   // an empty PEL, then COUNT 1 per stream: "a" alone had entries
                .then(() -> {
                    append(keys.stream("b", 0), 100);
                    append(keys.stream("c", 0), 100);
                })
                .thenRequest(3)
                .expectNextCount(3)
                .then(() -> assertThat(reader.entriesRead()).as("3 + 3 requested, COUNT 1 per stream").isEqualTo(6))
                .then(reader::stop) // no demand: no read in flight, the flux completes at once
                .expectComplete()
                .verify(Duration.ofSeconds(20));
    }

    /** @return streams "a", "b" and "c" (partition 0), each with consumer group "g", by key */
    private static Map<String, String> threeStreams(StreamKeys keys) {
        Map<String, String> streamByKey = new LinkedHashMap<>();
        for (String stream : List.of("a", "b", "c")) {
            String key = keys.stream(stream, 0);
            new StreamAdmin(template()).ensureGroup(key, "g").block();
            streamByKey.put(key, stream);
        }
        return streamByKey;
    }

    private static void append(String key, int n) {
        Flux.range(0, n)
                .concatMap(i -> template().opsForStream().add(key, Map.of("data", "{\"i\":" + i + "}")), 64)
                .then().block(Duration.ofSeconds(20));
    }
}
