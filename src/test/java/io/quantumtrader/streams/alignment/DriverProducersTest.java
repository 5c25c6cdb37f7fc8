package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test driver waits for an input's producers as the runtime does: an input written by two sub-topologies is
 * re-ordered by event time (merged), its watermark waits for every producer task the topology has for it, and an
 * input the reading sub-topology also writes is fed back only (not waited for) when no other sub-topology writes it.
 * Before (review of 2026-12-06) the driver merged only the outputs of a producer that holds records, took the smallest
 * of the watermarks published so far, and took every input its task also writes as fed back only: it gave S, B, A
 * and S, FS, A below where the runtime gives A, S, B and A, S, FS.
 */
class DriverProducersTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    /** raw1 → (0) → x; raw2 → (1) → x; x + side merged (2) → out. */
    static Topology twoProducers() {
        TopologyBuilder b = new TopologyBuilder("two");
        b.stream("raw1", String.class).mapValues(v -> v, Named.as("one")).to("x");
        b.stream("raw2", String.class).mapValues(v -> v, Named.as("two")).to("x");
        b.stream("x", String.class).merge(b.stream("side", String.class), Named.as("merge")).to("out");
        return b.build();
    }

    /** raw → (0) → x; x + side merged (1) → out, and side → "F" + value → x (fed back into 1). */
    static Topology fedBackAndProduced() {
        TopologyBuilder b = new TopologyBuilder("fed");
        b.stream("raw", String.class).mapValues(v -> v, Named.as("copy")).to("x");
        EventStream<String, String> x = b.stream("x", String.class);
        EventStream<String, String> side = b.stream("side", String.class);
        x.merge(side, Named.as("merge")).to("out");
        side.mapValues(v -> "F" + v, Named.as("feed-back")).to("x");
        return b.build();
    }

    record Pipe(String stream, String value, long time) {
    }

    static final List<Pipe> TWO = List.of(new Pipe("raw2", "B", BASE + 2_000), new Pipe("side", "S", BASE + 1_500),
            new Pipe("raw1", "A", BASE + 1_000));
    static final List<Pipe> FED = List.of(new Pipe("side", "S", BASE + 1_500), new Pipe("raw", "A", BASE + 1_000));

    @Test
    void theDriverMergesAnInputTwoSubtopologiesWriteAndWaitsForBoth() {
        assertThat(drive(twoProducers(), TWO, List.of("raw1", "raw2", "side"))).containsExactly("A", "S", "B");
    }

    @Test
    void theDriverWaitsForAnotherSubtopologyWritingAnInputTheTaskFeedsBack() {
        assertThat(drive(fedBackAndProduced(), FED, List.of("raw", "side"))).containsExactly("A", "S", "FS");
    }

    @Test
    void theRuntimeGivesTheSameOrders() throws Exception {
        assertThat(run(twoProducers(), TWO, List.of("raw1", "raw2", "side"))).containsExactly("A", "S", "B");
        assertThat(run(fedBackAndProduced(), FED, List.of("raw", "side"))).containsExactly("A", "S", "FS");
    }

    private static List<String> drive(Topology topology, List<Pipe> pipes, List<String> inputs) {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, Instant.EPOCH,
                IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
            for (Pipe p : pipes) {
                driver.<String>createInputStream(p.stream()).pipeInput("k", p.value(), p.time());
            }
            inputs.forEach(driver::endInput);
            return driver.createOutputStream("out", String.class).readValuesToList();
        }
    }

    private static List<String> run(Topology topology, List<Pipe> pipes, List<String> inputs) throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        try (StreamsRuntime runtime = new StreamsRuntime(topology, config, RedisTestSupport.template())) {
            runtime.start();
            for (Pipe p : pipes) {
                feed.sendAll(Flux.just(new EventPublisher.Event(p.stream(), "k", p.value(), p.time())), 1, true).block();
                Thread.sleep(300);   // processed before the next (what the driver does at once)
            }
            for (String input : inputs) {
                feed.watermark(input, Long.MAX_VALUE).block();
                runtime.inputEnded(input);
            }
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).as("drained; left: %s", runtime.undrained()).isTrue();
            return RedisTestSupport.stringValues(ns, "out", 0);
        }
    }
}
