package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Found in review (2026-12-07): differences between the test driver and a run on Redis, each fixed. */
class DriverRuntimeParityTest {

    /** Sum of what node {@code node} counted under {@code reason}, in the driver or on Redis. */
    static double counted(Harness h, String node, String reason) {
        if (h instanceof Harness.Driver d) {
            return d.driver.countedRecords().getOrDefault(node + "|" + reason, 0L);
        }
        Harness.Redis r = (Harness.Redis) h;
        r.flush();
        return r.runtime.metrics().registry().find("qt.streams.node.records.counted").tag("node", node)
                .tag("reason", reason).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * A processor counts each record, then fails on "bad": the failed record is dead-lettered, and its count undone
     * (ProcessorContext#count: "a record processed again after a failure is counted once"). On Redis the failed
     * attempts' counts are undone (TaskContext#abortRecord); the driver's abortRecord forgets to undo them.
     */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aFailedRecordsCountIsUndone(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("parity-count");
        b.stream("in", String.class).process(() -> new Processor<String, String, String, String>() {
            ProcessorContext<String, String> ctx;

            @Override
            public void init(ProcessorContext<String, String> context) {
                ctx = context;
            }

            @Override
            public void process(Record<String, String> record) {
                ctx.count("seen");
                if (record.value().equals("bad")) {
                    throw new IllegalStateException("bad record");
                }
                ctx.forward(record);
            }
        }, Named.as("counter")).to("out");
        Topology t = b.build();
        try (Harness h = Harness.of(mode, t)) {
            h.pipe("in", "k", "ok", 1);
            h.pipe("in", "k", "bad", 2);
            h.flush();
            assertThat(h.values("out", String.class)).containsExactly("ok");
            assertThat(h.deadLetters("in")).hasSize(1);
            assertThat(counted(h, "counter", "seen")).as("records counted by 'counter'").isEqualTo(1.0);
        }
    }

    /**
     * A wall-clock punctuator that counts (ProcessorContext#count) and writes nothing: the driver counts each run; on
     * Redis the punctuation's batch is empty, TaskContext#prepare returns null and its counts (as its dropped and late
     * counts) are never reported.
     */
    @org.junit.jupiter.api.Test
    void aWallClockPunctuationsCountsAreReportedOnRedisAsInTheDriver() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        TopologyBuilder b = new TopologyBuilder("parity-tick");
        b.stream("in", String.class).process(() -> new Processor<String, String, String, String>() {
            @Override
            public void init(ProcessorContext<String, String> ctx) {
                ctx.schedule(java.time.Duration.ofMillis(100), io.quantumtrader.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                        t -> {
                            runs.incrementAndGet();
                            ctx.count("tick");
                        });
            }

            @Override
            public void process(Record<String, String> record) {
            }
        }, Named.as("ticker")).to("out");
        Topology t = b.build();
        try (io.quantumtrader.streams.testing.TopologyTestDriver d = new io.quantumtrader.streams.testing.TopologyTestDriver(t)) {
            d.advanceWallClockTime(java.time.Duration.ofMillis(100));
            assertThat(d.countedRecords()).as("driver").containsEntry("ticker|tick", 1L);
        }
        runs.set(0);
        String ns = io.quantumtrader.streams.RedisTestSupport.freshNamespace();
        try (io.quantumtrader.streams.runtime.StreamsRuntime rt = new io.quantumtrader.streams.runtime.StreamsRuntime(t,
                io.quantumtrader.streams.runtime.StreamsConfig.defaults().withNamespace(ns)
                        .withPunctuationInterval(java.time.Duration.ofMillis(50)),
                io.quantumtrader.streams.RedisTestSupport.template())) {
            rt.start();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> runs.get() >= 5);
            Thread.sleep(500);
            double counted = rt.metrics().registry().find("qt.streams.node.records.counted").tag("node", "ticker")
                    .tag("reason", "tick").counters().stream().mapToDouble(c -> c.count()).sum();
            assertThat(counted).as("qt.streams.node.records.counted{ticker,tick} after %s punctuations", runs.get())
                    .isGreaterThanOrEqualTo(5.0);
        }
    }

    /**
     * A store value its serde cannot write: on Redis the batch's commit (CachedKeyValueStore#writeTo) fails and the
     * runtime stops with an alert naming the store and key (StateStoreFailureTest). The driver's commit never writes
     * the values out (TopologyTestDriver.Task#commit calls committed() only): the value is kept, pipeInput returns, and
     * a driver test of the topology passes.
     */
    @org.junit.jupiter.api.Test
    void aStoreValueThatCannotBeWrittenFailsInTheDriverAsOnRedis() {
        Topology t = io.quantumtrader.streams.robust.StateStoreFailureTestAccess.storing(true);
        try (io.quantumtrader.streams.testing.TopologyTestDriver d = new io.quantumtrader.streams.testing.TopologyTestDriver(t)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> d.createInputStream("in").pipeInput("k1", 1L, 1_700_000_000_000L))
                    .as("the driver, as the runtime, refuses a store value that cannot be written")
                    .hasMessageContaining("cannot be written");
        }
    }
}
