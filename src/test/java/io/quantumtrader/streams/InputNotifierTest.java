package io.quantumtrader.streams;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.InputNotifier;
import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import redis.embedded.RedisServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.TreeSet;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12, per-hop latency at low load: a reader waiting out a long idle back-off (2 s here, so the difference is
 * unmistakable) is woken by the {@link InputNotifier} and processes a new entry at once; without it the entry waits
 * for the back-off. The notifier follows the assignment and survives a Redis restart.
 */
class InputNotifierTest {

    /** Idle back-off of every reader in these tests: each empty read waits this long before the next. */
    private static final Duration IDLE = Duration.ofSeconds(2);
    /** What "at once" means on a loaded 2-core machine: far below the back-off. */
    private static final long FAST_MS = 500;

    private RedisServer server;
    private RedisConnection connection;

    @AfterEach
    void stopRedis() {
        RedisOutageTest.stop(connection, server);
    }

    private static StreamsRuntime start(ReactiveStringRedisTemplate redis, String ns, String id, boolean notifier) {
        return start(redis, ns, id, notifier, IDLE);
    }

    private static StreamsRuntime start(ReactiveStringRedisTemplate redis, String ns, String id, boolean notifier,
                                        Duration idle) {
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId(id)
                .withCatalog(ScaleOutTopology.CATALOG).withIdle(idle, idle).withLeaseTtl(Duration.ofSeconds(2));
        StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("none"), config, redis).withInputNotifier(notifier);
        runtime.start();
        return runtime;
    }

    /** @return ms from sending one event until its output is in Redis */
    private static long latencyMs(ReactiveStringRedisTemplate redis, String ns, String key, long seq) {
        EventPublisher publisher = new EventPublisher(redis, new StreamKeys(ns), ScaleOutTopology.CATALOG, "test");
        long before = ScaleOutTopology.outputCount(redis, ns);
        long sent = System.nanoTime();
        publisher.send("events", key, new Tick(key, 100 + seq * 0.01, seq), 1_700_000_000_000L + seq).block();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2))
                .until(() -> ScaleOutTopology.outputCount(redis, ns) > before);
        return (System.nanoTime() - sent) / 1_000_000;
    }

    private static Set<String> runningInputKeys(StreamsRuntime runtime) {
        StreamKeys keys = new StreamKeys(runtime.config().namespace());
        Set<String> out = new TreeSet<>();
        for (StreamTask t : runtime.tasks()) {
            if (t.state() == TaskState.RUNNING) {
                out.add(keys.stream("events", t.taskId().partition()));
            }
        }
        return out;
    }

    private static void awaitAllRunning(StreamsRuntime runtime) {
        await().atMost(Duration.ofSeconds(15)).until(() -> runtime.tasks().stream().allMatch(t -> t.state() == TaskState.RUNNING));
    }

    @Test
    void anIdleReaderIsWokenAndProcessesANewEntryAtOnce() throws InterruptedException {
        String ns = RedisTestSupport.freshNamespace();
        try (StreamsRuntime runtime = start(template(), ns, "a", true)) {
            awaitAllRunning(runtime);
            InputNotifier notifier = runtime.inputNotifier();
            assertThat(notifier).as("on a standalone Redis the notifier is on by default").isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> new TreeSet<>(notifier.watching()).equals(runningInputKeys(runtime)));
            for (int i = 1; i <= 5; i++) {
                Thread.sleep(150); // the reader read the last entry, then an empty read: it now waits out the 2 s back-off
                long ms = latencyMs(template(), ns, "K" + i, 1);
                assertThat(ms).as("event %d processed within %d ms although the reader's back-off is %d ms", i, FAST_MS,
                        IDLE.toMillis()).isLessThan(FAST_MS);
            }
            assertThat(notifier.wakeups()).isGreaterThanOrEqualTo(5);
            assertThat(notifier.failures()).isZero();
            assertThat(runtime.metrics().registry().find("qt.streams.input.notifier.wakeups").functionCounter().count())
                    .isGreaterThanOrEqualTo(5);
        }
    }

    /**
     * The watch rule with an idle back-off shorter than {@link InputNotifier#WATCH_AFTER} (3 ms, never doubling): readers
     * that last read a backlog wait the short delays out unwatched (no wake-up at all), and a reader whose records come
     * one at a time ({@link io.quantumtrader.streams.redis.PartitionReader#SPARSE_INPUT_ENTRIES}) is watched from its
     * first delay and woken. Without the sparse-input rule no reader here would ever be woken.
     */
    @Test
    void aReaderOfSparseInputIsWatchedFromItsFirstShortIdleDelayAndAReaderOfABacklogIsNot() throws InterruptedException {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher publisher = new EventPublisher(template(), new StreamKeys(ns), ScaleOutTopology.CATALOG, "test");
        int backlog = 20 * ScaleOutTopology.PARTITIONS;
        for (int i = 0; i < backlog; i++) { // published before the start: every partition's first read is a batch of many
            publisher.send("events", "K" + (i % 24), new Tick("K" + (i % 24), 100, i), 1_700_000_000_000L + i).block();
        }
        try (StreamsRuntime runtime = start(template(), ns, "a", true, Duration.ofMillis(3))) {
            InputNotifier notifier = runtime.inputNotifier();
            await().atMost(Duration.ofSeconds(20)).until(() -> ScaleOutTopology.outputCount(template(), ns) == backlog);
            Thread.sleep(300); // ~100 short idle delays per reader
            assertThat(notifier.wakeups()).as("readers whose last read was a batch of many entries are not watched").isZero();
            for (int i = 1; i <= 10; i++) {
                Thread.sleep(50);
                latencyMs(template(), ns, "K1", 1_000 + i); // one record at a time: reads of one entry
            }
            assertThat(notifier.wakeups()).as("a reader of sparse input is watched from its first 3 ms delay").isPositive();
            assertThat(ScaleOutTopology.outputCount(template(), ns)).isEqualTo(backlog + 10);
        }
    }

    /**
     * A watched reader of sparse input reads each record once: a read that found fewer entries than it asked for goes
     * straight into a watched wait instead of reading again (before, every record cost a second, empty read). Records
     * appended in every gap (while a read is in flight, just after its reply, during the wait) are all read, once:
     * with a 10 s back-off a record the notifier did not report would time the test out.
     */
    @Test
    void aWatchedReaderOfSparseInputReadsEachRecordOnceAndMissesNone() throws InterruptedException {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        new StreamAdmin(template()).ensureGroup(key, "g").block();
        EventPublisher publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        Duration backOff = Duration.ofSeconds(10);
        PartitionReader reader = new PartitionReader(template(), "g", "c1", Map.of(key, "ticks"), 0, 500, backOff, backOff);
        List<String> received = new CopyOnWriteArrayList<>();
        try (InputNotifier notifier = InputNotifier.open(template(), Duration.ofSeconds(1), "test").orElseThrow()) {
            notifier.register(reader);
            var subscription = reader.receiveBatches().subscribe(b -> b.forEach(e -> received.add(e.id())));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> notifier.watching().contains(key));
                int one = 30;
                for (int i = 1; i <= one; i++) { // one at a time, each read before the next is sent
                    publisher.send("ticks", "K", new Tick("K", 100, i), 1_700_000_000_000L + i).block();
                    int expected = i;
                    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> received.size() == expected);
                    Thread.sleep(5); // the reader is in its wait again
                }
                assertThat(reader.reads()).as("one read per record, plus the reads of the PEL and the first empty read")
                        .isLessThanOrEqualTo(one + 3);
                int burst = 300;
                for (int i = 1; i <= burst; i++) { // gaps of 0-2 ms, sometimes two at once: every point of the read cycle
                    publisher.send("ticks", "K", new Tick("K", 100, one + i), 1_700_000_000_000L + one + i).block();
                    int gap = ThreadLocalRandom.current().nextInt(4);
                    if (gap > 0) {
                        Thread.sleep(gap - 1);
                    }
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= one + burst);
                assertThat(received).doesNotHaveDuplicates().hasSize(one + burst);
                assertThat(received).isSortedAccordingTo(StreamEntry::compareIds);
            } finally {
                subscription.dispose();
            }
        }
    }

    /**
     * A reader that becomes idle while the notifier is blocked on other keys is watched at once: the blocked call is
     * ended with {@code CLIENT UNBLOCK} (the id of the notifier's connection, noted when its {@code CLIENT ID} reply
     * arrives) and re-issued with both keys, long before the 5 s block would have ended by itself. These readers are
     * unfenced, so the idle listener runs on Lettuce's event loop: opening the control connection there deadlocked.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // it once deadlocked: fail, do not hang
    void aReaderThatBecomesIdleDuringABlockedCallIsWatchedAtOnce() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String first = keys.stream("ticks", 0);
        String second = keys.stream("ticks", 1);
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(first, "g").block();
        admin.ensureGroup(second, "g").block();
        Duration backOff = Duration.ofSeconds(10);
        PartitionReader a = new PartitionReader(template(), "g", "c1", Map.of(first, "ticks"), 0, 500, backOff, backOff);
        PartitionReader b = new PartitionReader(template(), "g", "c1", Map.of(second, "ticks"), 1, 500, backOff, backOff);
        try (InputNotifier notifier = InputNotifier.open(template(), Duration.ofSeconds(5), "test").orElseThrow()) {
            notifier.register(a);
            notifier.register(b);
            var readingA = a.receiveBatches().subscribe();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> notifier.watching().equals(Set.of(first)));
                await().pollDelay(Duration.ofMillis(200)).until(() -> true); // the call is blocked, its client id known
                var readingB = b.receiveBatches().subscribe();
                try {
                    long started = System.nanoTime();
                    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5))
                            .until(() -> notifier.watching().equals(Set.of(first, second)));
                    assertThat((System.nanoTime() - started) / 1_000_000).as("ms until both keys are watched").isLessThan(2_000);
                    assertThat(notifier.unblocks()).as("the blocked call was ended, not waited out").isPositive();
                } finally {
                    readingB.dispose();
                }
            } finally {
                readingA.dispose();
            }
        }
    }

    /** The same run without the notifier: the entry waits for the reader's back-off (what the test above must beat). */
    @Test
    void withoutTheNotifierAnIdleReaderWaitsOutItsBackOff() throws InterruptedException {
        String ns = RedisTestSupport.freshNamespace();
        try (StreamsRuntime runtime = start(template(), ns, "a", false)) {
            awaitAllRunning(runtime);
            assertThat(runtime.inputNotifier()).isNull();
            Thread.sleep(500);
            latencyMs(template(), ns, "K1", 1); // after this one, the reader's next empty read waits the full back-off
            Thread.sleep(150);
            assertThat(latencyMs(template(), ns, "K1", 2)).isGreaterThanOrEqualTo(FAST_MS);
        }
    }

    @Test
    void theWatchedKeysFollowTheAssignment() throws InterruptedException {
        String ns = RedisTestSupport.freshNamespace();
        try (StreamsRuntime a = start(template(), ns, "a", true)) {
            awaitAllRunning(a);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.inputNotifier().watching().size() == ScaleOutTopology.PARTITIONS);
            try (StreamsRuntime b = start(template(), ns, "b", true)) {
                // b joins: a hands three tasks over; each notifier watches the inputs of the tasks its instance runs
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(runningInputKeys(a)).hasSize(3);
                    assertThat(runningInputKeys(b)).hasSize(3);
                    assertThat(new TreeSet<>(a.inputNotifier().watching())).isEqualTo(runningInputKeys(a));
                    assertThat(new TreeSet<>(b.inputNotifier().watching())).isEqualTo(runningInputKeys(b));
                });
                for (int i = 0; i < 12; i++) { // 12 keys: both instances' partitions
                    Thread.sleep(150);
                    assertThat(latencyMs(template(), ns, "K" + i, 1)).as("event of K%d", i).isLessThan(FAST_MS);
                }
                assertThat(a.inputNotifier().wakeups()).isPositive();
                assertThat(b.inputNotifier().wakeups()).isPositive();
            }
            // b left: a runs every task again and watches every input
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(runningInputKeys(a)).hasSize(ScaleOutTopology.PARTITIONS);
                assertThat(new TreeSet<>(a.inputNotifier().watching())).isEqualTo(runningInputKeys(a));
            });
            Thread.sleep(150);
            assertThat(latencyMs(template(), ns, "K0", 2)).isLessThan(FAST_MS);
        }
    }

    @Test
    void theNotifierSurvivesARedisRestart() throws Exception {
        int port = RedisOutageTest.freePort();
        Path dir = Files.createTempDirectory("redis-notifier");
        server = RedisOutageTest.redisServer(port, dir);
        server.start();
        connection = RedisConnection.of("redis://127.0.0.1:" + port);
        ReactiveStringRedisTemplate redis = connection.template();
        String ns = "notifier";
        try (StreamsRuntime runtime = start(redis, ns, "a", true)) {
            awaitAllRunning(runtime);
            InputNotifier notifier = runtime.inputNotifier();
            Thread.sleep(300);
            assertThat(latencyMs(redis, ns, "K1", 1)).isLessThan(FAST_MS);

            // Redis goes away for longer than a call may take (1 s block + 5 s): the notifier's call times out, its
            // reconnects fail meanwhile (a short outage Lettuce bridges alone: it re-sends the call after reconnecting)
            server.stop();
            Thread.sleep(7_000);
            server = RedisOutageTest.redisServer(port, dir);
            server.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.tasks().stream().allMatch(t -> t.state() == TaskState.RUNNING)
                    && notifier.watching().size() == ScaleOutTopology.PARTITIONS);
            assertThat(notifier.failures()).as("the outage was noticed and counted").isPositive();
            assertThat(runtime.metrics().registry().find("qt.streams.input.notifier.failures").functionCounter().count()).isPositive();
            for (int i = 2; i <= 4; i++) {
                Thread.sleep(150);
                assertThat(latencyMs(redis, ns, "K" + i, 1)).as("event %d after the restart", i).isLessThan(FAST_MS);
            }
            assertThat(runtime.state()).isEqualTo(RuntimeState.RUNNING);
            assertThat(ScaleOutTopology.outputCount(redis, ns)).isEqualTo(4);
        }
    }
}
