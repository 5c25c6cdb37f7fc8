package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAligner;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.redis.StreamEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What event-time alignment holds of one input is bounded by bytes too ({@link InputAlignment#maxHeldBytesPerInput()},
 * as Kafka Streams' {@code input.buffer.max.bytes}). Found in review (2026-12-07): bounded by record count alone, 12,000
 * held entries of 24 KB exhausted a 256 MB heap before the 10,000-record bound. Here 3,000 entries of 8 KB wait for a
 * quiet input without a watermark: with a 4 MB bound the task holds a few hundred of them, not the whole backlog, and
 * once the quiet input ends every record goes out once, in order.
 */
@Timeout(120)
class HeldBytesLimitTest {

    static final long BASE = 1_000_000_000_000L;
    static final int BUSY = 3_000;
    static final int BATCH = 100;
    static final long LIMIT_BYTES = 4L * 1024 * 1024;
    static final String PAYLOAD = "x".repeat(8 * 1024);

    @Test
    void largeEntriesPauseReadsAtTheByteBoundLongBeforeTheRecordBound() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        feed(keys, "busy-feed").sendAll(Flux.range(0, BUSY)
                .map(i -> new Event("busy", "k", i + ":" + PAYLOAD, BASE + 2L * i, "b-" + i)), 500).block();
        EventPublisher quietFeed = feed(keys, "quiet-feed");
        quietFeed.sendAll(Flux.just(new Event("quiet", "k", "q0", BASE + 1_001, "q-0")), 1).block();   // no watermark
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(BATCH)
                .withPunctuationInterval(Duration.ofMillis(100))
                .withAlignment(InputAlignment.byWatermarks().withMaxHeldBytesPerInput(LIMIT_BYTES));
        assertThat(config.alignment().maxHeldPerInput()).as("the record bound stays the default")
                .isEqualTo(InputAlignment.DEFAULT_MAX_HELD_PER_INPUT);
        try (StreamsRuntime runtime = new StreamsRuntime(HeldInputLimitTest.topology(), config, RedisTestSupport.template())) {
            runtime.start();
            StreamTask task = runtime.tasks().get(0);
            long entryBytes = InputAligner.estimatedBytes(new StreamEntry("busy", "k", 0, "1000000000000-0",
                    Map.of("data", "0:" + PAYLOAD)));
            long bound = LIMIT_BYTES / entryBytes + 1 + 2 * BATCH;
            await("reads of busy paused, or more held than the bound",
                    () -> task.pausedInputs().contains("busy") || task.alignerHeld() > bound);
            long reads = task.reads();
            await("five more reads, or more held than the bound", () -> task.reads() >= reads + 5 || task.alignerHeld() > bound);
            assertThat(task.alignerHeld()).as("held: about %d bytes' worth (%d B each) plus two batches, not the backlog",
                    LIMIT_BYTES, entryBytes).isLessThanOrEqualTo(bound);
            assertThat(task.entriesRead()).as("read: what went out (501 busy, q0) and what is held")
                    .isLessThanOrEqualTo(502 + bound);
            assertThat(runtime.undrained()).anyMatch(line -> line.contains("reads of busy paused"));

            quietFeed.watermark("quiet", Long.MAX_VALUE).block();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).as("drained; left: %s", runtime.undrained()).isTrue();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < BUSY; i++) {
                expected.add(String.valueOf(i));
                if (i == 500) {
                    expected.add("q0");   // 1,001 ms: after busy's 500th (1,000 ms)
                }
            }
            List<String> out = RedisTestSupport.stringValues(ns, "out", 0).stream()
                    .map(v -> v.startsWith("q") ? v : v.substring(0, v.indexOf(':'))).toList();
            assertThat(out).as("every record once, in event-time order").isEqualTo(expected);
        }
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(condition);
    }

    private static EventPublisher feed(StreamKeys keys, String source) {
        return new EventPublisher(RedisTestSupport.template(), keys, StreamCatalog.defaults(), source);
    }
}
