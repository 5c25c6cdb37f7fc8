package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.ProcessorSupplier;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.record.Record;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test processor that holds records back as the price band holds suspect prints: a record whose value starts with
 * "H" is held; a record starting with "R" forwards the held ones first, at their own timestamps, then itself; with a
 * release interval, each wall-clock punctuation forwards them too. It says what it holds
 * ({@link Processor#earliestHeldTimestamp()}: the earliest held timestamp), unless a subclass answers otherwise.
 */
class HoldingProcessor implements Processor<String, String, String, String> {

    /** The records held, in arrival order. */
    protected final List<Record<String, String>> held = new ArrayList<>();
    private final Duration releaseEvery;
    private ProcessorContext<String, String> ctx;

    /** Releases on an "R…" record only. */
    HoldingProcessor() {
        this(null);
    }

    /** @param releaseEvery also releases at each wall-clock punctuation of this interval; null: never */
    HoldingProcessor(Duration releaseEvery) {
        this.releaseEvery = releaseEvery;
    }

    /**
     * raw → (0, {@code holder}, node "holder") → mid; mid + side merged by event time (1) → out.
     *
     * @param applicationId the topology's application id
     */
    static Topology topology(String applicationId, ProcessorSupplier<String, String, String, String> holder) {
        TopologyBuilder b = new TopologyBuilder(applicationId);
        b.stream("raw", String.class).process(holder, Named.as("holder")).to("mid");
        b.stream("mid", String.class).merge(b.stream("side", String.class), Named.as("merge-side")).to("out");
        return b.build();
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        ctx = context;
        if (releaseEvery != null) {
            context.schedule(releaseEvery, PunctuationType.WALL_CLOCK_TIME, now -> release());
        }
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.value().startsWith("H")) {
            held.add(record);
            return;
        }
        if (record.value().startsWith("R")) {
            release();
        }
        ctx.forward(record);
    }

    @Override
    public long earliestHeldTimestamp() {
        return held.stream().mapToLong(Record::timestamp).min().orElse(Long.MAX_VALUE);
    }

    private void release() {
        held.forEach(ctx::forward);
        held.clear();
    }
}
