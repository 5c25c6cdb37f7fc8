package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task whose commit failed restarts from what Redis holds, not from what its failed run processed (found in review,
 * 2026-12-06): the watermark the failed commit carried is published again by the restarted run, and the task tells
 * downstream that an input ended (or how far it got) only after the failed batch was read and processed again.
 */
@Timeout(120)
class WatermarksAfterAFailedCommitTest {

    private static final long BASE = 1_000_000_000_000L;

    /** Before: the restarted run reached the same stream time and skipped it as published (the hash kept 4000). */
    @Test
    void theWatermarkOfACommitThatFailedIsPublishedByTheRestartedRun() {
        String ns = RedisTestSupport.freshNamespace();
        TopologyBuilder b = new TopologyBuilder("wm-failed");
        b.stream("wm-in", String.class).mapValues(v -> v + "!", Named.as("bang")).to("wm-out");
        publish(ns, "feed", "wm-in", "v", 0);
        AtomicInteger commits = new AtomicInteger();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(5)
                .withAlignment(InputAlignment.byWatermarks())
                .withBeforeCommit((task, n) -> commits.incrementAndGet() == 2
                        ? Mono.error(new IllegalStateException("commit 2 fails once (a Redis timeout, say)"))
                        : Mono.empty());
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, RedisTestSupport.template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).as("%s", runtime.undrained()).isTrue();
            assertThat(runtime.counters().restarts()).as("the failed commit restarted the task").isPositive();
            assertThat(RedisTestSupport.length(ns, "wm-out", 0)).isEqualTo(10);
            Map<String, String> marks = RedisTestSupport.template().<String, String>opsForHash()
                    .entries(new StreamKeys(ns).watermarks("wm-out", 0))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
            assertThat(marks).as("the producer's watermark covers every record it wrote")
                    .containsEntry("wm-failed:0_0", Long.toString(BASE + 9_000L));
        }
    }

    private static final AtomicBoolean FAILED = new AtomicBoolean();

    /**
     * The input of the first sub-topology ends while its only batch is in flight, and the batch's commit fails. Before,
     * the restarted run's first punctuation found the input covered by the failed run's processed ids and committed the
     * end of input on e-out before the batch's outputs: the aligned merge downstream released every record of its other
     * input first (merged: 500, 1500, …, 9500, 0, 1000, …; 2 runs in 5). Repeated because that needs the punctuation
     * to come before the pending entries are read again.
     */
    @RepeatedTest(4)
    void aDownstreamAlignedConsumerGetsTheRecordsInEventTimeOrder() {
        FAILED.set(false);
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher feed = publish(ns, "feed", "e-in", "e", 0);
        EventPublisher sideFeed = publish(ns, "side-feed", "side", "s", 500);
        sideFeed.watermark("side", Long.MAX_VALUE).block();
        AtomicInteger batches = new AtomicInteger();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(10)
                .withPunctuationInterval(Duration.ofMillis(1))
                .withAlignment(InputAlignment.byWatermarks())
                .withBeforeCommit((task, n) -> task.equals("0_0") && n > 0 && batches.incrementAndGet() == 1
                        ? feed.watermark("e-in", Long.MAX_VALUE).then(Mono.fromRunnable(() -> FAILED.set(true)))
                                .then(Mono.error(new IllegalStateException("fails once")))
                        : Mono.empty());
        try (StreamsRuntime runtime = new StreamsRuntime(twoStages(), config, RedisTestSupport.template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).as("%s", runtime.undrained()).isTrue();
        }
        List<Long> times = RedisTestSupport.entries(ns, "merged", 0).stream()
                .map(f -> Envelope.fromFields(f).time().toEpochMilli() - BASE).toList();
        assertThat(times).as("merged event times, ms after the first").hasSize(20).isSorted();
    }

    /** Ten events 1 s apart from {@code BASE + offsetMs}, values {@code prefix0..9}. */
    private static EventPublisher publish(String ns, String source, String stream, String prefix, long offsetMs) {
        EventPublisher publisher = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), source);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(new Event(stream, "k", prefix + i, BASE + offsetMs + i * 1_000L, prefix + "-" + i));
        }
        publisher.sendAll(Flux.fromIterable(events), 100).block();
        return publisher;
    }

    /** e-in → e-out (sub-topology 0); e-out merged with side, aligned (sub-topology 1) → merged. */
    private static Topology twoStages() {
        TopologyBuilder b = new TopologyBuilder("wm-failed-2");
        // processing the failed batch again takes 500 ms: the window in which, before the fix, the end of input was
        // committed and the batch's outputs were not
        b.stream("e-in", String.class).mapValues(v -> {
            if (FAILED.get() && v.equals("e0")) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return v;
        }, Named.as("same")).to("e-out");
        b.stream("e-out", String.class).merge(b.stream("side", String.class), Named.as("both")).to("merged");
        return b.build();
    }
}
