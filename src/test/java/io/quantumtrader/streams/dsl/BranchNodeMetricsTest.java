package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.runtime.SubtopologyExecutor;
import io.quantumtrader.streams.runtime.TaskOutput;
import io.quantumtrader.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): {@code qt.streams.node.records.in} of a split's branch node counts every record of the split, not
 * the records routed to that branch (Kafka Streams' KStreamBranch forwards a record to its branch child only). With
 * three branches each shows 100 % of the input: a dashboard of records in per node triples the split's traffic.
 */
class BranchNodeMetricsTest {

    @Test
    void aBranchNodeCountsOnlyTheRecordsRoutedToIt() {
        TopologyBuilder b = new TopologyBuilder("app");
        Map<String, EventStream<String, String>> branches = b.stream("in", String.class, Named.as("in"))
                .split(Named.as("s-"))
                .branch((k, v) -> v.startsWith("a"), Branched.as("a"))
                .branch((k, v) -> v.startsWith("b"), Branched.as("b"))
                .defaultBranch(Branched.as("other"));
        branches.values().forEach(s -> s.to("out-" + s.nodeName()));
        SubtopologyExecutor executor = new SubtopologyExecutor(b.build().taskSubtopologies().get(0), 0);

        Map<String, Integer> in = new HashMap<>();
        Map<String, Integer> out = new HashMap<>();
        TaskOutput output = new Stub() {
            @Override
            public void nodeProcessed(String node, int i, int o, long nanos) {
                in.merge(node, i, Integer::sum);
                out.merge(node, o, Integer::sum);
            }
        };
        long now = System.currentTimeMillis();
        List<StreamEntry> entries = new ArrayList<>();
        String[] values = {"a1", "b1", "c1", "a2"};
        for (int i = 0; i < values.length; i++) {
            entries.add(new StreamEntry("in", "in", 0, now + "-" + i,
                    EnvelopeCodec.encode("in", "test", "id-" + i, "k", values[i], now, "t" + i)));
        }
        executor.process(entries, output).block();

        assertThat(out).containsEntry("s-a", 2).containsEntry("s-b", 1).containsEntry("s-other", 1);
        // records in per branch node: what reached it
        assertThat(in).containsEntry("s-a", 2).containsEntry("s-b", 1).containsEntry("s-other", 1);
    }

    private abstract static class Stub implements TaskOutput {
        @Override public void emit(String sinkNode, String stream, String subject, String partitionKey, Record<?, ?> record) { }
        @Override public String taskId() { return "0_0"; }
        @Override public int partition() { return 0; }
        @Override public <K, V> KeyValueStore<K, V> store(String name) { throw new UnsupportedOperationException(); }
        @Override public void deadLetter(Record<?, ?> record, String node, Throwable error, int attempts) { throw new AssertionError(error); }
        @Override public List<Duration> retryBackoff() { return List.of(); }
        @Override public void beginRecord() { }
        @Override public void abortRecord() { }
        @Override public long streamTime(String node) { return Long.MIN_VALUE; }
        @Override public void advanceStreamTime(String node, long timestamp) { }
        @Override public long streamTimeOf(Record<?, ?> record) { return record.timestamp(); }
        @Override public void recordLate(String node) { }
        @Override public void recordDropped(String node, String reason) { }
        @Override public <K, V> KeyValueStore<K, V> globalStore(String name) { throw new UnsupportedOperationException(); }
        @Override public long wallClockTime() { return System.currentTimeMillis(); }
    }
}
