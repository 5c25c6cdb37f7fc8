package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Branched;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code merge} gives Kafka Streams' order, on Redis and in the test driver: records of different input records in
 * input order, and records made from one input record in the order Kafka Streams forwards them, depth first (a node's
 * outputs one after the other, each through all the node's children in the order they were added). Found in review
 * (2026-12-06): records of one input record came out in the order of the merge's parents (the merge sorted by input
 * position only, which they share), e.g. CLOSE before OPEN below, and a table built from them kept OPEN.
 */
class MergeOrderTest {

    /** One order event becomes OPEN then CLOSE of its key, split by kind and merged again, closes first. */
    private static TopologyBuilder lifecycle() {
        TopologyBuilder b = new TopologyBuilder("merge-order");
        Map<String, EventStream<String, String>> branches = b.stream("orders", String.class)
                .flatMapValues(v -> List.of(v + ":OPEN", v + ":CLOSE"), Named.as("open-and-close"))
                .split(Named.as("by-kind-"))
                .branch((k, v) -> v.endsWith("CLOSE"), Branched.as("close"))
                .defaultBranch(Branched.as("open"));
        EventStream<String, String> closes = branches.get("by-kind-close").mapValues(v -> v, Named.as("close-mapped"));
        EventStream<String, String> opens = branches.get("by-kind-open").mapValues(v -> v, Named.as("open-mapped"));
        EventStream<String, String> merged = closes.merge(opens, Named.as("lifecycle"));
        merged.to("lifecycle");
        merged.groupByKey().reduce((previous, v) -> v, Materialized.as("last-state", String.class)).toStream().to("last-state");
        return b;
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aFlatMapsOutputsKeepTheirOrderThroughSplitAndMerge(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, lifecycle().build())) {
            h.pipe("orders", "o1", "o1", 1);
            h.pipe("orders", "o2", "o2", 2);   // on Redis in the same batch: input order, then depth first
            h.flush();
            assertThat(h.values("lifecycle", String.class)).containsExactly("o1:OPEN", "o1:CLOSE", "o2:OPEN", "o2:CLOSE");
            assertThat(h.values("last-state", String.class)).as("a table of the merge keeps the last record")
                    .containsExactly("o1:OPEN", "o1:CLOSE", "o2:OPEN", "o2:CLOSE");
        }
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void twoChildrenOfOneRecordMergeInTheOrderTheyWereAdded(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("merge-order2");
        EventStream<String, String> s = b.stream("orders", String.class);
        EventStream<String, String> first = s.mapValues(v -> v + ":first", Named.as("first"));
        EventStream<String, String> second = s.mapValues(v -> v + ":second", Named.as("second"));
        second.merge(first, Named.as("both")).to("both");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("orders", "o1", "o1", 1);
            h.pipe("orders", "o2", "o2", 2);
            h.flush();
            assertThat(h.values("both", String.class)).containsExactly("o1:first", "o1:second", "o2:first", "o2:second");
        }
    }

    /** Kafka forwards a node's first output through every child before its second: a:x, a:y, b:x, b:y. */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void eachOutputGoesThroughAllChildrenBeforeTheNext(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("merge-order3");
        EventStream<String, String> parts = b.stream("orders", String.class)
                .flatMapValues(v -> List.of(v + ".a", v + ".b"), Named.as("parts"));
        EventStream<String, String> x = parts.mapValues(v -> v + ":x", Named.as("x"));
        EventStream<String, String> y = parts.flatMapValues(v -> List.of(v + ":y1", v + ":y2"), Named.as("y"));
        y.merge(x, Named.as("xy")).merge(parts.filter((k, v) -> v.endsWith("b"), Named.as("bs")), Named.as("xyb"))
                .to("xy");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("orders", "o1", "o1", 1);
            h.flush();
            assertThat(h.values("xy", String.class)).containsExactly(
                    "o1.a:x", "o1.a:y1", "o1.a:y2", "o1.b:x", "o1.b:y1", "o1.b:y2", "o1.b");
        }
    }

    /**
     * A stream-time punctuation runs after its record went through the whole sub-topology, as in Kafka Streams
     * (StreamTask punctuates once {@code process} of the record returned; its driver after each piped record): its
     * records meet the record's other outputs after all of them. Found in review (2026-12-06): they came out among
     * the punctuating processor's own outputs of that record, here "tick@0" before "B:1".
     */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void aStreamTimePunctuationsRecordsComeAfterAllOutputsOfTheRecordThatMovedStreamTime(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("merge-order-punctuation");
        EventStream<String, String> s = b.stream("orders", String.class);
        EventStream<String, String> a = s.process(() -> new io.quantumtrader.streams.processor.Processor<String, String, String, String>() {
            private io.quantumtrader.streams.processor.ProcessorContext<String, String> ctx;

            @Override
            public void init(io.quantumtrader.streams.processor.ProcessorContext<String, String> context) {
                ctx = context;
                context.schedule(java.time.Duration.ofSeconds(10), io.quantumtrader.streams.processor.PunctuationType.STREAM_TIME,
                        time -> ctx.forward(new io.quantumtrader.streams.record.Record<>("tick", "tick@" + time, time, null, null)));
            }

            @Override
            public void process(io.quantumtrader.streams.record.Record<String, String> record) {
                ctx.forward(record.withValue("A:" + record.value()));
            }
        }, Named.as("a"));
        EventStream<String, String> other = s.mapValues(v -> "B:" + v, Named.as("b"));
        a.merge(other, Named.as("both")).to("out");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("orders", "k", "1", 0);        // the first record punctuates
            h.pipe("orders", "k", "2", 5_000);
            h.pipe("orders", "k", "3", 12_000);   // crosses 10 s; on Redis all three in one batch
            h.flush();
            assertThat(h.values("out", String.class)).containsExactly(
                    "A:1", "B:1", "tick@0", "A:2", "B:2", "A:3", "B:3", "tick@12000");
        }
    }
}
