package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.StoreSpec;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A holding producer task that restarts — its process died, or it moves to another instance — restores the record it
 * held, and its readers keep waiting for it while it comes back: the other producer's watermark does not pass the
 * held record. Its last run's hold mark stands still in Redis meanwhile. Before (review of 2026-12-06) a reader that
 * started watching that mark counted the producer idle one idle timeout later, well before the task's lease (its dead
 * owner's) expired and it ran again, and the other producer's later records came out before the held one; and the
 * restarted run wrote its mark only with its first punctuation or batch commit, not at its start.
 */
class RestartedHoldTest {

    static final long BASE = EventTimeAlignmentTest.BASE;
    static final Duration IDLE = Duration.ofSeconds(1);
    static final String APP = "restarted-hold";

    /** raw (2 partitions: tasks 0_0, 0_1) → holder → mid; mid + side merged by event time (task 1_0) → out. */
    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder(APP);
        b.addStateStore(StoreSpec.keyValueStore("held", String.class));
        b.stream("raw", String.class).process(RestoredHoldTest.StoreHolder::new, Named.as("holder"), "held").to("mid");
        b.stream("mid", String.class).merge(b.stream("side", String.class), Named.as("merge-side")).to("out");
        return b.build();
    }

    @Test
    void aRestartedHoldingProducerIsAwaitedWhileItsDeadOwnersLeaseLasts() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        StreamCatalog catalog = catalog();
        StreamsConfig config = config(ns, catalog);
        EventPublisher rawFeed = new EventPublisher(RedisTestSupport.template(), keys, catalog, "raw-feed");
        EventPublisher sideFeed = new EventPublisher(RedisTestSupport.template(), keys, catalog, "side-feed");
        String other = keyOn(1);
        holdH1AndForwardA(ns, keys, config, rawFeed);
        String oldMark = holdMark(keys);   // after the close: its last punctuation may have written one more
        // 0_0's owner died: its lease outlives it by 4 s (four idle timeouts), and 0_0 waits for it
        String group = StreamKeys.group(APP, 0);
        assertThat(new StreamAdmin(RedisTestSupport.template()).acquireLease(keys.lease(group, 0), keys.fence(group, 0),
                keys.leaseOwner(group, 0), "dead-instance", Duration.ofSeconds(4)).block()).isNotNull();
        try (StreamsRuntime restarted = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            restarted.start();
            // the merge (1_0) and 0_1 run at once: S (1.5 s) ends side, B (3 s) moves 0_1's watermark past H1
            sideFeed.sendAll(Flux.just(new EventPublisher.Event("side", "s", "S", BASE + 1_500)), 1, true).block();
            sideFeed.watermark("side", Long.MAX_VALUE).block();
            rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", other, "B", BASE + 3_000)), 1, true).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> !Objects.equals(oldMark, holdMark(keys)));
            assertThat(RedisTestSupport.stringValues(ns, "out", 0))
                    .as("nothing passes H1 (1 s) while 0_0 waits for its lease and restores it").isEmpty();

            endAndAssertTheOrder(ns, restarted, rawFeed);
        }
    }

    /**
     * The holder's process dies while its reader runs and watches its heartbeat: the reader has seen the hold mark
     * move, then it stands still while the dead owner's lease lasts (here a "live" owner the test plays: it holds 0_0's
     * lease and moves the mark every 200 ms for 2.4 s, then stops with 2.6 s of its lease left, 2.6 idle timeouts).
     * The reader keeps waiting until the task runs again on the restarted instance and restores the held record.
     * Before (2026-12-07) it counted the producer idle one idle timeout after the last heartbeat, and S, A and B came
     * out before H1.
     */
    @Test
    void aHolderWhoseProcessDiesWhileItsReaderWatchesIsAwaitedUntilItsTaskRestarts() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        StreamCatalog catalog = catalog();
        StreamsConfig config = config(ns, catalog);
        EventPublisher rawFeed = new EventPublisher(RedisTestSupport.template(), keys, catalog, "raw-feed");
        EventPublisher sideFeed = new EventPublisher(RedisTestSupport.template(), keys, catalog, "side-feed");
        String other = keyOn(1);
        holdH1AndForwardA(ns, keys, config, rawFeed);
        String group = StreamKeys.group(APP, 0);
        assertThat(new StreamAdmin(RedisTestSupport.template()).acquireLease(keys.lease(group, 0), keys.fence(group, 0),
                keys.leaseOwner(group, 0), "live-instance", Duration.ofSeconds(5)).block()).isNotNull();
        long deadline = System.currentTimeMillis() + 2_400;
        try (StreamsRuntime restarted = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            restarted.start();
            sideFeed.sendAll(Flux.just(new EventPublisher.Event("side", "s", "S", BASE + 1_500)), 1, true).block();
            sideFeed.watermark("side", Long.MAX_VALUE).block();
            rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", other, "B", BASE + 3_000)), 1, true).block();
            long beat = Long.parseLong(holdMark(keys));
            while (System.currentTimeMillis() < deadline) {   // the live owner's heartbeat, seen by the merge (1_0)
                Thread.sleep(200);
                beat++;
                RedisTestSupport.template().opsForHash().put(keys.holdMarks("mid", 0), APP + ":0_0", Long.toString(beat))
                        .block();
            }
            String lastBeat = Long.toString(beat);   // the owner died here
            await().atMost(Duration.ofSeconds(15)).until(() -> !lastBeat.equals(holdMark(keys)));
            assertThat(RedisTestSupport.stringValues(ns, "out", 0))
                    .as("nothing passes H1 (1 s) while its dead owner's lease lasts and 0_0 restores it").isEmpty();

            endAndAssertTheOrder(ns, restarted, rawFeed);
        }
    }

    /**
     * The restarted task writes its hold mark at its start, before its first read: here it gets no record and no
     * punctuation tick (the test holds them back), and its readers still see the mark its last run left change.
     */
    @Test
    void aRestartedTaskWritesItsHoldMarkAtItsStart() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        StreamCatalog catalog = catalog();
        StreamsConfig config = config(ns, catalog);
        EventPublisher rawFeed = new EventPublisher(RedisTestSupport.template(), keys, catalog, "raw-feed");
        try (StreamsRuntime first = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            first.start();
            rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", keyOn(0), "H1", BASE + 1_000)), 1, true).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> holdMark(keys) != null && !"0".equals(holdMark(keys)));
        }
        String oldMark = holdMark(keys);   // after the close: its last punctuation may have written one more
        Schedulers.onScheduleHook(RestartedHoldTest.class.getName(),
                task -> task.getClass().getName().contains("FluxInterval") ? () -> { } : task);
        try (StreamsRuntime restarted = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            restarted.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> !Objects.equals(oldMark, holdMark(keys)));
            assertThat(Long.parseLong(holdMark(keys))).as("a heartbeat: H1 was restored and is held")
                    .isGreaterThan(Long.parseLong(oldMark));
        } finally {
            Schedulers.resetOnScheduleHook(RestartedHoldTest.class.getName());
        }
    }

    /** A first instance: H1 (1 s) held by task 0_0, A (2 s) forwarded by task 0_1; closed once 0_0 marks its hold. */
    private static void holdH1AndForwardA(String ns, StreamKeys keys, StreamsConfig config, EventPublisher rawFeed) {
        try (StreamsRuntime first = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            first.start();
            rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", keyOn(0), "H1", BASE + 1_000),
                    new EventPublisher.Event("raw", keyOn(1), "A", BASE + 2_000)), 1, true).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "mid", 0) >= 1
                    && watermark(keys, "0_0") != null && holdMark(keys) != null && !"0".equals(holdMark(keys)));
        }
    }

    /** R (4 s) on 0_0's key, the inputs' ends; the restarted instance drains and out holds every record in event time. */
    private static void endAndAssertTheOrder(String ns, StreamsRuntime restarted, EventPublisher rawFeed) {
        rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", keyOn(0), "R", BASE + 4_000)), 1, true).block();
        rawFeed.watermark("raw", Long.MAX_VALUE).block();
        restarted.inputEnded("raw");
        restarted.inputEnded("side");
        assertThat(restarted.awaitDrained(Duration.ofSeconds(20))).as("drained; left: %s", restarted.undrained()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "out", 0) >= 5);
        assertThat(RedisTestSupport.stringValues(ns, "out", 0)).isEqualTo(List.of("H1", "S", "A", "B", "R"));
    }

    private static StreamCatalog catalog() {
        Duration keep = Duration.ofDays(7);
        return new StreamCatalog(new StreamSpec("*", "key", 1, 0, keep),
                Map.of("raw", new StreamSpec("raw", "key", 2, 0, keep)));
    }

    private static StreamsConfig config(String ns, StreamCatalog catalog) {
        return StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog).withBatchSize(1)
                .withPunctuationInterval(Duration.ofMillis(50))
                .withAlignment(InputAlignment.byWatermarks().withIdleTimeout(IDLE));
    }

    /** @return task 0_0's hold mark in mid, or null */
    private static String holdMark(StreamKeys keys) {
        Object m = RedisTestSupport.template().opsForHash().get(keys.holdMarks("mid", 0), APP + ":0_0").block();
        return m == null ? null : String.valueOf(m);
    }

    private static String watermark(StreamKeys keys, String task) {
        Object w = RedisTestSupport.template().opsForHash().get(keys.watermarks("mid", 0), APP + ":" + task).block();
        return w == null ? null : String.valueOf(w);
    }

    /** @return a key that hashes to {@code partition} of raw's 2 */
    private static String keyOn(int partition) {
        for (char c = 'a'; ; c++) {
            if (Partitioner.partition(String.valueOf(c), 2) == partition) {
                return String.valueOf(c);
            }
        }
    }
}
