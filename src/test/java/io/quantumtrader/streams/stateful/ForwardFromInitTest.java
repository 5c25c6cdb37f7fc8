package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A record forwarded from {@link Processor#init} has no input record and no punctuation to be committed with. Until
 * 2026-12-06 it was silently dropped (the forwarded list was cleared by the first record or punctuation), in the
 * runtime and in the driver; now the forward is refused with an error naming the node, and the task stops for good.
 */
class ForwardFromInitTest {

    static Topology forwardingInInit() {
        TopologyBuilder b = new TopologyBuilder("init-forward");
        b.stream("in", Long.class)
                .process(() -> new Processor<String, Long, String, Long>() {
                    private ProcessorContext<String, Long> ctx;

                    @Override
                    public void init(ProcessorContext<String, Long> context) {
                        ctx = context;
                        context.forward(new Record<>("hello", 0L, 0L, null, null));
                    }

                    @Override
                    public void process(Record<String, Long> record) {
                        ctx.forward(record);
                    }
                }, Named.as("greeter"))
                .to("out");
        return b.build();
    }

    @Test
    void theDriverRefusesAForwardFromInitNamingTheNode() {
        assertThatThrownBy(() -> new TopologyTestDriver(forwardingInInit()).close())
                .isInstanceOf(io.quantumtrader.streams.processor.ForwardOutsideProcessingException.class)
                .hasMessageContaining("'greeter'")
                .hasMessageContaining("init()")
                .hasMessageContaining("forward from process() or from a punctuation");
    }

    /**
     * The forward is a defect of the processor's code, the same on every run: the task stops for good (runtime ERROR,
     * a CRITICAL alert naming the node, health's {@code failing} names it). Before (2026-12-06) it restarted with
     * backoff for as long as the service ran, as for a transient failure.
     */
    @Test
    void theRuntimeStopsTheTaskForGoodWithACriticalAlertNamingTheNode() {
        String ns = RedisTestSupport.freshNamespace();
        try (StreamsRuntime runtime = new StreamsRuntime(forwardingInInit(), StreamsConfig.defaults().withNamespace(ns)
                .withCatalog(StreamCatalog.defaults()), RedisTestSupport.template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.state() == RuntimeState.ERROR);
            assertThat(runtime.counters().restarts()).as("a restart would fail the same way").isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "system.alert.triggered", 0) > 0);
            assertThat(RedisTestSupport.entries(ns, "system.alert.triggered", 0).get(0).get("data"))
                    .contains("CRITICAL", "'greeter'", "init()", "forward from process() or from a punctuation");
            assertThat(RedisTestSupport.length(ns, "out", 0)).as("nothing written for the refused forward").isZero();
        }
    }

    /**
     * A forward from {@link Processor#close} is refused as well (nothing commits it); the other processors of the task
     * still close. Before 2026-12-06 such a record was dropped silently.
     */
    @Test
    void aForwardFromCloseIsRefusedAndTheOtherProcessorsStillClose() {
        java.util.concurrent.atomic.AtomicReference<RuntimeException> refused = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean secondClosed = new java.util.concurrent.atomic.AtomicBoolean();
        TopologyBuilder b = new TopologyBuilder("close-forward");
        b.stream("in", Long.class)
                .process(() -> new Processor<String, Long, String, Long>() {
                    private ProcessorContext<String, Long> ctx;

                    @Override
                    public void init(ProcessorContext<String, Long> context) {
                        ctx = context;
                    }

                    @Override
                    public void process(Record<String, Long> record) {
                        ctx.forward(record);
                    }

                    @Override
                    public void close() {
                        try {
                            ctx.forward(new Record<>("bye", 0L, 0L, null, null));
                        } catch (RuntimeException e) {
                            refused.set(e);
                            throw e;
                        }
                    }
                }, Named.as("leaver"))
                .process(() -> new Processor<String, Long, String, Long>() {
                    @Override
                    public void process(Record<String, Long> record) {
                    }

                    @Override
                    public void close() {
                        secondClosed.set(true);
                    }
                }, Named.as("after"));
        new TopologyTestDriver(b.build()).close();
        assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'leaver'").hasMessageContaining("outside process()");
        assertThat(secondClosed).isTrue();
    }
}
