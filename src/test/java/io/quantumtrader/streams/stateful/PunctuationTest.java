package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.testing.TestOutputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** process() with state stores and punctuation on stream time and wall-clock time. */
class PunctuationTest {

    /** Counts ticks; on each stream-time punctuation (every 10 s of event time) emits "count@time". */
    static Topology streamTimeCounter() {
        return streamTimeCounter("punct", call -> false);
    }

    /**
     * {@link #streamTimeCounter()} whose punctuator throws on the calls {@code failing} accepts (1 for the first call).
     */
    static Topology streamTimeCounter(String applicationId, java.util.function.IntPredicate failing) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        TopologyBuilder b = new TopologyBuilder(applicationId);
        b.addStateStore(StoreSpec.keyValueStore("seen", Long.class));
        b.stream("events", Long.class)
                .process(() -> new Processor<String, Long, String, String>() {
                    private KeyValueStore<String, Long> seen;

                    @Override
                    public void init(ProcessorContext<String, String> ctx) {
                        seen = ctx.getStateStore("seen");
                        ctx.schedule(Duration.ofSeconds(10), PunctuationType.STREAM_TIME, time -> {
                            if (failing.test(calls.incrementAndGet())) {
                                throw new IllegalStateException("punctuation fails on call " + calls.get());
                            }
                            ctx.forward(new Record<>("all", seen.get("all") + "@" + time, time, null, null));
                        });
                    }

                    @Override
                    public void process(Record<String, Long> record) {
                        Long n = seen.get("all");
                        seen.put("all", n == null ? 1 : n + 1);
                    }
                }, Named.as("counter"), "seen")
                .to("punctuations");
        return b.build();
    }

    /**
     * Kafka Streams' semantics (StreamTask#schedule: "align punctuation to 0L, punctuate as soon as we have data"):
     * the first record punctuates, then each multiple of the interval stream time reaches, once however many it
     * crossed. Found in review (2026-12-05): the first record only set the schedule, so the first interval's
     * punctuation never ran.
     */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void streamTimePunctuationFiresOncePerCrossedIntervalWithTheCurrentStreamTime(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, streamTimeCounter())) {
            h.pipe("events", "k", 1L, 0);
            h.pipe("events", "k", 2L, 5_000);
            h.pipe("events", "k", 3L, 12_000);   // crosses 10 s
            h.pipe("events", "k", 4L, 11_000);   // out of order: stream time stays 12 s
            h.pipe("events", "k", 5L, 35_000);   // crosses 20 s and 30 s: fires once
            h.pipe("events", "k", 6L, 36_000);
            h.flush();
            assertThat(h.values("punctuations", String.class)).containsExactly("1@0", "3@12000", "5@35000");
        }
    }

    /**
     * A stream-time punctuation that throws fails the record that triggered it; the record's retry punctuates again,
     * so the interval's punctuation is not skipped (found in review, 2026-12-05: the schedule moved on before the
     * punctuator ran, so the retry found nothing due and that punctuation never happened).
     */
    @Test
    void aStreamTimePunctuationThatFailsOnceRunsAgainWhenItsRecordIsRetried() {
        try (Harness h = Harness.of(Harness.Mode.REDIS, streamTimeCounter("punct-retry", call -> call == 1))) {
            h.pipe("events", "k", 1L, 0);        // the first punctuation throws, the record is retried
            h.pipe("events", "k", 2L, 12_000);   // crosses 10 s
            h.pipe("events", "k", 3L, 25_000);   // crosses 20 s
            h.flush();
            assertThat(h.values("punctuations", String.class)).containsExactly("1@0", "2@12000", "3@25000");
            assertThat(h.deadLetters("events")).isEmpty();
        }
    }

    /**
     * A punctuation that always throws costs the record that triggers each interval (dead-lettered after its retries)
     * and nothing more: the interval is given up, so the records after it are processed (found in review, 2026-12-05:
     * with the schedule kept back for the retry, every later record triggered the failing punctuation again).
     */
    @Test
    void aStreamTimePunctuationThatAlwaysFailsCostsOneRecordPerInterval() {
        try (Harness h = Harness.of(Harness.Mode.REDIS, streamTimeCounter("punct-failing", call -> true))) {
            h.pipe("events", "k", 1L, 0);        // the first punctuation: dead-lettered after its retries
            h.pipe("events", "k", 2L, 12_000);   // crosses 10 s: dead-lettered
            h.pipe("events", "k", 3L, 13_000);   // nothing due
            h.pipe("events", "k", 4L, 25_000);   // crosses 20 s: dead-lettered
            h.pipe("events", "k", 5L, 26_000);
            h.flush();
            assertThat(h.deadLetters("events")).extracting(d -> d.get("error.message"))
                    .hasSize(3).allSatisfy(m -> assertThat(m).contains("punctuation fails on call"));
            assertThat(h.values("punctuations", String.class)).isEmpty();
        }
    }

    /**
     * Every punctuation run counts, also one with nothing to commit (a task whose processors have nothing due), and
     * the meter says so. Before (review of 2026-12-06) only the runs that prepared a commit counted: an idle task's
     * punctuations, every interval, showed 0.
     */
    @Test
    void everyPunctuationRunCountsAlsoOneWithNothingToCommit() {
        String ns = RedisTestSupport.freshNamespace();
        TopologyBuilder b = new TopologyBuilder("idle-punct");
        b.stream("events", Long.class).to("copies");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withPunctuationInterval(Duration.ofMillis(50));
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, RedisTestSupport.template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.counters().punctuations() >= 5);
            assertThat(runtime.counters().commits()).as("nothing to commit").isZero();
            var meter = runtime.metrics().registry().find("qt.streams.punctuations").functionCounter();
            assertThat(meter).as("exposed").isNotNull();
            assertThat(meter.count()).isGreaterThanOrEqualTo(5);
            assertThat(meter.getId().getDescription()).contains("every").contains("nothing to commit");
        }
    }

    /** Emits how many ticks arrived since the last wall-clock punctuation (every 200 ms), then resets. */
    static Topology wallClockReporter() {
        return wallClockReporter("wall", Duration.ofMillis(200), call -> false, new java.util.concurrent.atomic.AtomicInteger());
    }

    /**
     * {@link #wallClockReporter()} with its application id and interval, whose punctuator throws on the calls
     * {@code failing} accepts (1 for the first) after resetting the count (a store write a failed attempt undoes); counts
     * the processor's inits.
     */
    static Topology wallClockReporter(String applicationId, Duration interval, java.util.function.IntPredicate failing,
                                      java.util.concurrent.atomic.AtomicInteger inits) {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        TopologyBuilder b = new TopologyBuilder(applicationId);
        b.addStateStore(StoreSpec.keyValueStore("since-last", Long.class));
        b.stream("events", Long.class)
                .process(() -> new Processor<String, Long, String, Long>() {
                    private KeyValueStore<String, Long> since;

                    @Override
                    public void init(ProcessorContext<String, Long> ctx) {
                        inits.incrementAndGet();
                        since = ctx.getStateStore("since-last");
                        ctx.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> {
                            Long n = since.get("n");
                            since.put("n", 0L);
                            if (failing.test(calls.incrementAndGet())) {
                                throw new IllegalStateException("wall-clock punctuation fails on call " + calls.get());
                            }
                            if (n != null && n > 0) {
                                ctx.forward(new Record<>("report", n, now, null, null));
                            }
                        });
                    }

                    @Override
                    public void process(Record<String, Long> record) {
                        Long n = since.get("n");
                        since.put("n", n == null ? 1 : n + 1);
                    }
                }, Named.as("reporter"), "since-last")
                .to("reports");
        return b.build();
    }

    @Test
    void wallClockPunctuationInTheDriverFollowsTheMockedClock() {
        try (TopologyTestDriver driver = new TopologyTestDriver(wallClockReporter(), Instant.ofEpochMilli(1_000))) {
            var in = driver.<Long>createInputStream("events");
            TestOutputStream<Long> out = driver.createOutputStream("reports", Long.class);
            in.pipeInput("k", 1L, 0);
            in.pipeInput("k", 2L, 0);
            driver.advanceWallClockTime(Duration.ofMillis(100));   // 1100: not due (next at 1200)
            assertThat(out.isEmpty()).isTrue();
            driver.advanceWallClockTime(Duration.ofMillis(100));   // 1200: due
            assertThat(out.readRecord()).satisfies(r -> {
                assertThat(r.value()).isEqualTo(2L);
                assertThat(r.timestamp()).isEqualTo(1_200L);
            });
            driver.advanceWallClockTime(Duration.ofSeconds(5));    // nothing new: nothing emitted
            assertThat(out.isEmpty()).isTrue();
            in.pipeInput("k", 3L, 0);
            driver.advanceWallClockTime(Duration.ofMillis(200));
            assertThat(out.readValue()).isEqualTo(1L);
            assertThat(driver.<String, Long>getKeyValueStore("since-last").get("n")).isZero();
        }
    }

    /**
     * Kafka Streams' semantics (StreamTask#schedule: "align punctuation to now, punctuate after interval has
     * elapsed"): a wall-clock punctuation is first due one interval after it was scheduled, then every interval on that
     * grid. Found in review (2026-12-05): it was due at the next multiple of the interval since the epoch, here 50 ms
     * after scheduling instead of 200.
     */
    @Test
    void wallClockPunctuationIsFirstDueOneIntervalAfterScheduling() {
        try (TopologyTestDriver driver = new TopologyTestDriver(wallClockReporter(), Instant.ofEpochMilli(1_150))) {
            var in = driver.<Long>createInputStream("events");
            TestOutputStream<Long> out = driver.createOutputStream("reports", Long.class);
            in.pipeInput("k", 1L, 0);                                // the processor is initialized: scheduled at 1150
            driver.advanceWallClockTime(Duration.ofMillis(100));     // 1250
            assertThat(out.isEmpty()).as("not due 100 ms after a 200 ms schedule").isTrue();
            driver.advanceWallClockTime(Duration.ofMillis(100));     // 1350: due
            assertThat(out.readRecord().timestamp()).isEqualTo(1_350L);
            in.pipeInput("k", 2L, 0);
            driver.advanceWallClockTime(Duration.ofMillis(450));     // 1800: due (1550 passed); next on the grid 1150 + k * 200: 1950
            assertThat(out.readRecord().timestamp()).isEqualTo(1_800L);
            in.pipeInput("k", 3L, 0);
            driver.advanceWallClockTime(Duration.ofMillis(140));     // 1940: next was 1950
            assertThat(out.isEmpty()).isTrue();
            driver.advanceWallClockTime(Duration.ofMillis(10));      // 1950
            assertThat(out.readValue()).isEqualTo(1L);
        }
    }

    @Test
    void wallClockPunctuationOnRedisRunsWithoutInputAndIsCommitted() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withPunctuationInterval(Duration.ofMillis(50));
        try (StreamsRuntime runtime = new StreamsRuntime(wallClockReporter(), config, RedisTestSupport.template())) {
            runtime.start();
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).send("events", "k", 1L, 0).block();
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).send("events", "k", 2L, 0).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.values(ns, "reports", 0, Long.class)
                    .stream().mapToLong(Long::longValue).sum() == 2);
            assertThat(runtime.counters().punctuations()).isPositive();
        }
        String hash = new io.quantumtrader.streams.redis.StreamKeys(ns).store("wall", "since-last", 0);
        assertThat(RedisTestSupport.template().opsForHash().get(hash, "n").block()).isEqualTo("0");
    }
    /**
     * A wall-clock punctuator that always throws: each due punctuation is tried as a failing record is (first attempt
     * + the retries), then given up and dead-lettered to {@code <application-id>.<node>.dlq}; the task is not
     * restarted and its records go on. Found in review (2026-12-07): the failure failed the task's run, and the
     * restarted task, with new stages, counted attempts from zero again: a restart at every punctuation, for ever, and
     * nothing dead-lettered.
     */
    @Test
    void aWallClockPunctuatorThatAlwaysFailsIsDeadLetteredNotRestartedForEver() {
        String ns = RedisTestSupport.freshNamespace();
        java.util.concurrent.atomic.AtomicInteger inits = new java.util.concurrent.atomic.AtomicInteger();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withPunctuationInterval(Duration.ofMillis(50))
                .withRetryBackoff(java.util.List.of(Duration.ofMillis(10), Duration.ofMillis(20)));
        try (StreamsRuntime runtime = new StreamsRuntime(wallClockReporter("wallfail", Duration.ofMillis(100), call -> true, inits), config,
                RedisTestSupport.template())) {
            runtime.start();
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).send("events", "k", 1L, 0).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.counters().deadLettered() >= 3);
            assertThat(runtime.counters().restarts()).as("no task restart").isZero();
            assertThat(inits).as("the processor initialized once").hasValue(1);
            assertThat(runtime.counters().processorRetries()).as("two retries per punctuation")
                    .isGreaterThanOrEqualTo(2 * 3);
        }
        java.util.List<java.util.Map<String, String>> dead = RedisTestSupport.entries(ns, "wallfail.reporter.dlq", 0);
        assertThat(dead).hasSizeGreaterThanOrEqualTo(3);
        assertThat(dead.get(0)).containsEntry("error.stage", "reporter").containsEntry("error.attempt", "3")
                .containsEntry("error.class", "java.lang.IllegalStateException");
        assertThat(dead.get(0).get("value")).startsWith("the wall-clock punctuation at ").endsWith(" of processor 'reporter'");
    }

    /** One failed attempt, then success: the retry's output is committed, the failed attempt's store write undone. */
    @Test
    void aWallClockPunctuationThatFailsOnceIsRetried() {
        String ns = RedisTestSupport.freshNamespace();
        java.util.concurrent.atomic.AtomicInteger inits = new java.util.concurrent.atomic.AtomicInteger();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withPunctuationInterval(Duration.ofMillis(50))
                .withRetryBackoff(java.util.List.of(Duration.ofMillis(10)));
        try (StreamsRuntime runtime = new StreamsRuntime(wallClockReporter("wallonce", Duration.ofMillis(100), call -> call == 1, inits), config,
                RedisTestSupport.template())) {
            runtime.start();
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).send("events", "k", 1L, 0).block();
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).send("events", "k", 2L, 0).block();
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.counters().processorRetries() >= 1
                    && RedisTestSupport.values(ns, "reports", 0, Long.class).stream().mapToLong(Long::longValue).sum() == 2);
            assertThat(runtime.counters().deadLettered()).isZero();
            assertThat(runtime.counters().restarts()).isZero();
        }
    }

    /** In the test driver, which retries nothing: the failing punctuation is dead-lettered at once. */
    @Test
    void aFailingWallClockPunctuationInTheDriverIsDeadLettered() {
        java.util.concurrent.atomic.AtomicInteger inits = new java.util.concurrent.atomic.AtomicInteger();
        try (TopologyTestDriver driver = new TopologyTestDriver(wallClockReporter("wallfail", Duration.ofMillis(100), call -> true, inits),
                Instant.ofEpochMilli(1_000))) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
            assertThat(driver.deadLetters("wallfail.reporter")).as("wallfail.reporter.dlq").singleElement()
                    .satisfies(f -> assertThat(f).containsEntry("error.attempt", "1")
                            .containsEntry("value", "the wall-clock punctuation at 1970-01-01T00:00:01.100Z of processor 'reporter'"));
        }
    }

    /**
     * A record dead-lettered because its stream-time punctuation failed does not move the processor's stream time
     * (the window stage's failing aggregator does not either): the record after it sees the stream time before it.
     * Found in review (2026-12-07): stream time was moved before the punctuations ran and stayed after the undo.
     */
    @Test
    void aRecordDeadLetteredForItsPunctuationDoesNotMoveStreamTime() {
        TopologyBuilder b = new TopologyBuilder("punct-stream-time");
        b.stream("events", Long.class)
                .process(() -> new Processor<String, Long, String, Long>() {
                    private ProcessorContext<String, Long> ctx;

                    @Override
                    public void init(ProcessorContext<String, Long> c) {
                        ctx = c;
                        c.schedule(Duration.ofSeconds(10), PunctuationType.STREAM_TIME, time -> {
                            if (time >= 50_000) {
                                throw new IllegalStateException("punctuation at " + time + " fails");
                            }
                        });
                    }

                    @Override
                    public void process(Record<String, Long> record) {
                        ctx.forward(record.withValue(ctx.currentStreamTimeMs()));
                    }
                }, Named.as("p"))
                .to("seen");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            var in = driver.<Long>createInputStream("events");
            in.pipeInput("k", 1L, 1_000);
            in.pipeInput("k", 2L, 50_000);   // its punctuation fails: dead-lettered
            in.pipeInput("k", 3L, 2_000);
            assertThat(driver.deadLetters("events")).hasSize(1);
            assertThat(driver.createOutputStream("seen", Long.class).readValuesToList())
                    .as("stream time with each record (Kafka Streams' currentStreamTimeMs includes the record being "
                            + "processed): the dead-lettered one's (50 s) never counted").containsExactly(1_000L, 2_000L);
        }
    }

    /** Forwards a heartbeat (value: the wall-clock time) on every wall-clock punctuation it schedules in init; counts inits. */
    static Topology heartbeat(java.util.concurrent.atomic.AtomicInteger inits, Duration interval) {
        TopologyBuilder b = new TopologyBuilder("heartbeat");
        b.stream("events", Long.class)
                .process(() -> new Processor<String, Long, String, Long>() {
                    @Override
                    public void init(ProcessorContext<String, Long> ctx) {
                        inits.incrementAndGet();
                        ctx.schedule(interval, PunctuationType.WALL_CLOCK_TIME,
                                now -> ctx.forward(new Record<>("hb", now, now, null, null)));
                    }

                    @Override
                    public void process(Record<String, Long> record) {
                    }
                }, Named.as("heartbeat"))
                .to("heartbeats");
        return b.build();
    }

    /**
     * Kafka Streams' driver initializes its tasks' processors in its constructor, so a wall-clock punctuation
     * scheduled in {@code init} is due one interval after the driver's start. Found in review (2026-12-06): processors
     * were initialized by the first record or punctuation, and this one came at 1400, an interval late.
     */
    @Test
    void theDriverInitializesProcessorsWhenItIsBuilt() {
        java.util.concurrent.atomic.AtomicInteger inits = new java.util.concurrent.atomic.AtomicInteger();
        try (TopologyTestDriver driver = new TopologyTestDriver(heartbeat(inits, Duration.ofMillis(200)),
                Instant.ofEpochMilli(1_000))) {
            assertThat(inits).as("initialized by the driver's constructor").hasValue(1);
            TestOutputStream<Long> out = driver.createOutputStream("heartbeats", Long.class);
            driver.advanceWallClockTime(Duration.ofMillis(200));   // 1200: one interval after the task started
            assertThat(out.readValuesToList()).containsExactly(1_200L);
            driver.advanceWallClockTime(Duration.ofMillis(200));
            assertThat(out.readValuesToList()).containsExactly(1_400L);
        }
    }

    /**
     * The runtime too initializes a task's processors when the task starts, not at its first batch or first
     * punctuation tick (with a punctuation interval of an hour and no input, an hour later). Found in review
     * (2026-12-06).
     */
    @Test
    void theRuntimeInitializesProcessorsWhenTheTaskStarts() {
        java.util.concurrent.atomic.AtomicInteger inits = new java.util.concurrent.atomic.AtomicInteger();
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withPunctuationInterval(Duration.ofHours(1));
        try (StreamsRuntime runtime = new StreamsRuntime(heartbeat(inits, Duration.ofMinutes(1)), config,
                RedisTestSupport.template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inits).hasValue(1));
        }
    }
}
