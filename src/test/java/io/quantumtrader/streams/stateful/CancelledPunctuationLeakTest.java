package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.internals.ProcessorStage;
import io.quantumtrader.streams.processor.Cancellable;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A processor that re-arms a timeout on every record (cancel the previous punctuation, schedule a new one: the
 * "quiet for N seconds" pattern) keeps every cancelled schedule for ever in ProcessorStage.schedules, and every record
 * and punctuation copies and walks the whole list (fire: List.copyOf(schedules)): memory and time grow with the
 * number of records (found in review, 2026-12-07). Kafka Streams' PunctuationQueue drops a cancelled schedule when it
 * comes due; here each punctuation round drops the cancelled ones.
 */
class CancelledPunctuationLeakTest {

    @Test
    void cancelledSchedulesAreDropped() throws Exception {
        TopologyBuilder b = new TopologyBuilder("rearm");
        b.stream("events", String.class)
                .process(() -> new Processor<String, String, String, String>() {
                    private ProcessorContext<String, String> ctx;
                    private Cancellable timeout;

                    @Override
                    public void init(ProcessorContext<String, String> c) {
                        ctx = c;
                    }

                    @Override
                    public void process(Record<String, String> r) {
                        if (timeout != null) {
                            timeout.cancel();
                        }
                        timeout = ctx.schedule(Duration.ofSeconds(5), PunctuationType.WALL_CLOCK_TIME,
                                now -> ctx.forward(new Record<>("k", "quiet", now, null, null)));
                    }
                }, Named.as("rearm"))
                .to("quiet");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            var in = driver.<String>createInputStream("events");
            for (int i = 0; i < 1_000; i++) {
                in.pipeInput("k", "e", i);
                if (i % 100 == 0) {
                    driver.advanceWallClockTime(Duration.ofSeconds(10));   // the cancelled ones came due long ago
                }
            }
            assertThat(schedulesOf(driver)).as("schedules kept by the processor (one live)").isLessThanOrEqualTo(10);
        }
    }

    /**
     * Kafka Streams checks a schedule's cancel flag right before it fires it ("sched can be cancelled from within the
     * punctuator"): a punctuator that cancels another schedule due at the same time stops it. Here the due list is made
     * before any of them runs, so the cancelled one fires anyway.
     */
    @Test
    void aScheduleCancelledByAnEarlierPunctuatorOfTheSameRoundDoesNotFire() {
        TopologyBuilder b = new TopologyBuilder("cancel-other");
        b.stream("events", String.class)
                .process(() -> new Processor<String, String, String, String>() {
                    private ProcessorContext<String, String> ctx;
                    private Cancellable second;

                    @Override
                    public void init(ProcessorContext<String, String> c) {
                        ctx = c;
                        c.schedule(Duration.ofSeconds(10), PunctuationType.STREAM_TIME, t -> {
                            ctx.forward(new Record<>("k", "first", t, null, null));
                            second.cancel();
                        });
                        second = c.schedule(Duration.ofSeconds(10), PunctuationType.STREAM_TIME,
                                t -> ctx.forward(new Record<>("k", "second", t, null, null)));
                    }

                    @Override
                    public void process(Record<String, String> r) {
                    }
                }, Named.as("p"))
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            driver.<String>createInputStream("events").pipeInput("k", "e", 1_000);
            assertThat(driver.createOutputStream("out", String.class).readValuesToList()).containsExactly("first");
        }
    }

    private static int schedulesOf(TopologyTestDriver driver) throws Exception {
        Object task = ((List<?>) field(driver, "tasks")).get(0);
        Object[] stages = (Object[]) field(field(task, "executor"), "stages");
        for (Object s : stages) {
            if (s instanceof ProcessorStage) {
                return ((List<?>) field(s, "schedules")).size();
            }
        }
        throw new AssertionError("no processor stage");
    }

    private static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }
}
