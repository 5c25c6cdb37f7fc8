package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two different outputs must never share an event id: the sub-topology reading them would drop the second as a
 * duplicate of the first (counted in {@code qt.streams.ingest.duplicates}, but a real event lost). Found by an audit
 * (2026-12-05), both cases failing on the code before: a record a processor kept and forwarded again from a later
 * batch (a wall-clock punctuation) was numbered per origin from 1 again and took the id of the origin's first output;
 * records without origin were numbered within a batch named by its first entry id, which two input streams can share.
 * Outputs not of an input entry of their batch are now numbered per batch, the batch named by the commit's sequence
 * ({@link io.quantumtrader.streams.runtime.OutputIds}).
 */
class OutputIdCollisionTest {


    static Topology keptRecordTopology() {
        TopologyBuilder b = new TopologyBuilder("audit-ids");
        b.stream("events", Long.class)
                .process(() -> new Processor<String, Long, String, String>() {
                    private ProcessorContext<String, String> ctx;
                    private Record<String, Long> last;

                    @Override
                    public void init(ProcessorContext<String, String> c) {
                        ctx = c;
                        c.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> {
                            if (last != null) {
                                ctx.forward(last.withValue("summary:" + last.value()));
                                last = null;
                            }
                        });
                    }

                    @Override
                    public void process(Record<String, Long> r) {
                        ctx.forward(r.withValue("seen:" + r.value()));
                        last = r;
                    }
                }, Named.as("seen-then-summary"))
                .to("mid");
        b.stream("mid", String.class).mapValues(v -> v, Named.as("copy")).to("out");
        return b.build();
    }

    @Test
    void aPunctuationOutputIsNotTakenForADuplicateOfTheRecordsEarlierOutput() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withPunctuationInterval(Duration.ofMillis(50));
        try (StreamsRuntime runtime = new StreamsRuntime(keptRecordTopology(), config, RedisTestSupport.template())) {
            runtime.start();
            RedisTestSupport.publisher(ns, StreamCatalog.defaults()).send("events", "k", 1L, 0).block();
            await().atMost(Duration.ofSeconds(15)).until(() -> RedisTestSupport.length(ns, "mid", 0) == 2);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(15))).isTrue();
            List<String> ids = RedisTestSupport.entries(ns, "mid", 0).stream().map(f -> Envelope.fromFields(f).id()).toList();
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(RedisTestSupport.values(ns, "out", 0, String.class)).containsExactly("seen:1", "summary:1");
            assertThat(runtime.counters().duplicates()).isZero();
        }
    }



    static Topology withoutOriginTopology() {
        TopologyBuilder b = new TopologyBuilder("audit-batchid");
        b.stream(List.of("a", "b"), new JsonSerde<>(Long.class), Named.as("ab"))
                .process(() -> new Processor<String, Long, String, String>() {
                    private ProcessorContext<String, String> ctx;

                    @Override
                    public void init(ProcessorContext<String, String> c) {
                        ctx = c;
                    }

                    @Override
                    public void process(Record<String, Long> r) {
                        ctx.forward(new Record<>(r.key(), "got:" + r.value(), r.timestamp(), null, null));
                    }
                }, Named.as("fresh-records"))
                .to("mid");
        b.stream("mid", String.class).mapValues(v -> v, Named.as("copy")).to("out");
        return b.build();
    }

    private static void xadd(String ns, String stream, String id, long value, long time) {
        String key = new StreamKeys(ns).stream(stream, 0);
        var fields = EnvelopeCodec.encode(stream, "audit", java.util.UUID.randomUUID().toString(), "k", value, time, null);
        RedisTestSupport.template().opsForStream()
                .add(StreamRecords.newRecord().in(key).ofMap(fields).withId(RecordId.of(id))).block();
    }

    @Test
    void outputsOfTwoBatchesStartingWithTheSameEntryIdOnDifferentStreamsAreNotTakenForDuplicates() {
        String ns = RedisTestSupport.freshNamespace();
        long now = System.currentTimeMillis();
        String sameId = now + "-0";
        try (StreamsRuntime runtime = new StreamsRuntime(withoutOriginTopology(), StreamsConfig.defaults().withNamespace(ns),
                RedisTestSupport.template())) {
            runtime.start();
            xadd(ns, "a", sameId, 1L, now);
            await().atMost(Duration.ofSeconds(15)).until(() -> RedisTestSupport.length(ns, "mid", 0) == 1);
            xadd(ns, "b", sameId, 2L, now);
            await().atMost(Duration.ofSeconds(15)).until(() -> RedisTestSupport.length(ns, "mid", 0) == 2);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(15))).isTrue();
            assertThat(RedisTestSupport.values(ns, "out", 0, String.class)).containsExactly("got:1", "got:2");
            assertThat(runtime.counters().duplicates()).isZero();
        }
    }
}
