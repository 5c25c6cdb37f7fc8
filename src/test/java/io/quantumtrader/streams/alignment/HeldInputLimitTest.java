package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What event-time alignment holds of one input stays bounded ({@link InputAlignment#maxHeldPerInput()}, Kafka Streams'
 * {@code buffered.records.per.partition}). Found in review (2026-12-06): a batch counted as handled once offered to the
 * aligner, so the reader read on while the aligner held it; an aligned input whose producer publishes no watermark
 * (no idle timeout, the default) made the task read and hold the whole backlog of the other input, in memory and in
 * its PEL (20,000 entries held with batches of 500). Now the task stops reading the full input, goes on reading the
 * other (its records and watermark release the held ones), and the unread entries wait in Redis, not pending.
 */
@Timeout(120)
class HeldInputLimitTest {

    static final long BASE = 1_000_000_000_000L;
    static final int BUSY = 20_000;
    static final int BATCH = 500;
    static final int LIMIT = 1_000;

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("held-limit");
        b.stream("busy", String.class).merge(b.stream("quiet", String.class), Named.as("both")).to("out");
        return b.build();
    }

    @Test
    void aQuietInputWithoutWatermarkPausesReadsOfTheBusyOneAtTheLimitAndItsWatermarkDrainsEverythingInOrder() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        // busy at even times, quiet at odd ones: one event-time order, no ties
        feed(keys, "busy-feed").sendAll(Flux.range(0, BUSY).map(i -> new Event("busy", "k", "b" + i, BASE + 2L * i, "b-" + i)), 1_000)
                .block();
        EventPublisher quietFeed = feed(keys, "quiet-feed");
        quietFeed.sendAll(Flux.just(new Event("quiet", "k", "q0", BASE + 10_001, "q-0")), 1).block();   // no watermark
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(BATCH)
                .withPunctuationInterval(Duration.ofMillis(100))
                .withAlignment(InputAlignment.byWatermarks().withMaxHeldPerInput(LIMIT));
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            runtime.start();
            StreamTask task = runtime.tasks().get(0);
            await("the limit reached", () -> task.alignerHeld() >= LIMIT);
            // busy's records up to q0 (10 s) went out with it; the rest wait for quiet, which the reader reads on
            long reads = task.reads();
            await("five more reads", () -> task.reads() >= reads + 5);

            long held = task.alignerHeld();
            assertThat(held).as("held by the aligner: at least the limit, at most the limit and the two batches read "
                    + "before the pause took effect").isBetween((long) LIMIT, (long) LIMIT + 2 * BATCH);
            long pending = pending(keys.stream("busy", 0));
            assertThat(pending).as("busy's PEL: what is held, not the backlog").isLessThanOrEqualTo((long) LIMIT + 2 * BATCH);
            assertThat(task.entriesRead()).as("read: what went out (5,001 busy, q0) and what is held")
                    .isLessThanOrEqualTo(5_002L + LIMIT + 2 * BATCH);
            assertThat(task.pausedInputs()).containsExactly("busy");
            assertThat(pausedGauge(runtime, task, "busy")).isEqualTo(1.0);
            assertThat(pausedGauge(runtime, task, "quiet")).isEqualTo(0.0);
            assertThat(runtime.undrained()).anyMatch(line -> line.contains("reads of busy paused"));
            assertThat(runtime.group().pausedInputs()).as("in the health details").containsEntry(task.id(), List.of("busy"));
            await("busy's records up to q0 and q0 committed", () -> out(ns).size() >= 5_002);
            assertThat(out(ns)).hasSize(5_002).endsWith("b5000", "q0");

            // quiet's producer speaks: one more record, then its end
            quietFeed.sendAll(Flux.just(new Event("quiet", "k", "q1", BASE + 30_001, "q-1")), 1).block();
            quietFeed.watermark("quiet", Long.MAX_VALUE).block();

            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).as("drained; left: %s", runtime.undrained()).isTrue();
            assertThat(out(ns)).as("every record once, in event-time order").isEqualTo(expected());
            assertThat(task.pausedInputs()).isEmpty();
            assertThat(runtime.group().pausedInputs()).isEmpty();
            assertThat(pausedGauge(runtime, task, "busy")).isEqualTo(0.0);
            assertThat(pending(keys.stream("busy", 0))).isZero();
        }
    }

    /**
     * A restart while an input is paused: the new run re-reads the pending entries (what the last run held, not the
     * backlog), pauses the input again part-way through them, and once released reads the rest of them before the
     * input's new entries: nothing stranded in the PEL, nothing twice, the same order.
     */
    @Test
    void aRestartWhilePausedReReadsOnlyWhatWasHeldAndLosesNothing() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        feed(keys, "busy-feed").sendAll(Flux.range(0, BUSY).map(i -> new Event("busy", "k", "b" + i, BASE + 2L * i, "b-" + i)), 1_000)
                .block();
        EventPublisher quietFeed = feed(keys, "quiet-feed");
        quietFeed.sendAll(Flux.just(new Event("quiet", "k", "q0", BASE + 10_001, "q-0")), 1).block();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(BATCH)
                .withPunctuationInterval(Duration.ofMillis(100))
                .withAlignment(InputAlignment.byWatermarks().withMaxHeldPerInput(LIMIT));
        long pendingAtStop;
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            runtime.start();
            StreamTask task = runtime.tasks().get(0);
            await("reads of busy paused", () -> task.pausedInputs().contains("busy"));
            await("busy's records up to q0 and q0 committed", () -> out(ns).size() >= 5_002);
            pendingAtStop = pending(keys.stream("busy", 0));
        }
        assertThat(pendingAtStop).isBetween((long) LIMIT, (long) LIMIT + 2 * BATCH);
        // a smaller limit on the restart: the input pauses again before its pending entries are all read again
        StreamsConfig restarted = config.withAlignment(InputAlignment.byWatermarks().withMaxHeldPerInput(LIMIT / 2));
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), restarted, RedisTestSupport.template())) {
            runtime.start();
            StreamTask task = runtime.tasks().get(0);
            await("reads of busy paused again", () -> task.pausedInputs().contains("busy"));
            long reads = task.reads();
            await("five more reads", () -> task.reads() >= reads + 5);
            assertThat(task.alignerHeld()).as("held after the restart").isLessThanOrEqualTo((long) LIMIT / 2 + 2 * BATCH);
            assertThat(task.alignerHeld()).as("paused part-way through the pending entries").isLessThan(pendingAtStop);
            assertThat(pending(keys.stream("busy", 0))).as("nothing new read: the PEL is what was pending")
                    .isEqualTo(pendingAtStop);

            quietFeed.sendAll(Flux.just(new Event("quiet", "k", "q1", BASE + 30_001, "q-1")), 1).block();
            quietFeed.watermark("quiet", Long.MAX_VALUE).block();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).as("drained; left: %s", runtime.undrained()).isTrue();
        }
        assertThat(out(ns)).as("every record once, in event-time order").isEqualTo(expected());
        assertThat(pending(keys.stream("busy", 0))).isZero();
    }

    private static List<String> expected() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < BUSY; i++) {
            out.add("b" + i);
            if (i == 5_000) {
                out.add("q0");   // 10,001 ms: after b5000 (10,000 ms)
            } else if (i == 15_000) {
                out.add("q1");   // 30,001 ms: after b15000 (30,000 ms)
            }
        }
        return out;
    }

    private static double pausedGauge(StreamsRuntime runtime, StreamTask task, String stream) {
        Gauge g = runtime.metrics().registry().find("qt.streams.task.input.paused").tag("task", task.id())
                .tag("stream", stream).gauge();
        assertThat(g).as("gauge qt.streams.task.input.paused of %s", stream).isNotNull();
        return g.value();
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(condition);
    }

    private static long pending(String key) {
        return RedisTestSupport.template().opsForStream().pending(key, StreamKeys.group("held-limit", 0))
                .map(p -> p.getTotalPendingMessages()).block();
    }

    private static EventPublisher feed(StreamKeys keys, String source) {
        return new EventPublisher(RedisTestSupport.template(), keys, StreamCatalog.defaults(), source);
    }

    private static List<String> out(String ns) {
        return RedisTestSupport.stringValues(ns, "out", 0);
    }

    /**
     * Found in review, 2026-12-06: once the feed stops, the gathering task holds the records after its producers' last
     * watermark until its merged input's idle timeout releases them; with the bound reached the input was paused, a
     * paused input was never idle, and the tail stayed held for good (29 or 28 of 30 out after 8 idle timeouts). A
     * paused input read up to its partition's last entry is idle like a read one now.
     */
    @Test
    void theTailOfAPausedMergedInputIsReleasedByItsIdleTimeout() throws Exception {
        StreamCatalog catalog = EventTimeAlignmentTest.inOnFourPartitions();
        List<String> keys = EventTimeAlignmentTest.threeKeysNotInPartition3();
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = EventTimeAlignmentTest.aligned(ns, catalog, 5).withAlignment(InputAlignment.byWatermarks()
                .withIdleTimeout(Duration.ofMillis(500)).withMaxHeldPerInput(1));
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), catalog, "live-feed");
        try (StreamsRuntime runtime = new StreamsRuntime(EventTimeAlignmentTest.gathered(), config, RedisTestSupport.template())) {
            runtime.start();
            for (int i = 0; i < 30; i++) {   // a live feed without watermarks, then nothing
                feed.sendAll(Flux.just(new Event("in", keys.get(i % keys.size()), "@" + i,
                        EventTimeAlignmentTest.BASE + i * 1000L)), 1, false).block();
                Thread.sleep(40);
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(RedisTestSupport.length(ns, "out", 0)).as("%s", runtime.undrained()).isEqualTo(30));
        }
    }
}
