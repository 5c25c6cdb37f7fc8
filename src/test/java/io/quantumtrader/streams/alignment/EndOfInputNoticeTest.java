package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "No more records" travels down a chain of aligned sub-topologies within one instance as soon as each has processed
 * the rest, not at the next punctuation of each ({@code StreamsRuntime.inputEnded}, task to task once an end-of-input
 * commit lands). The punctuation interval here is an hour: records held for an input's end are released only if the
 * notices work.
 */
class EndOfInputNoticeTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    /**
     * raw → (0) → left; left + right merged by event time (1) → merged; merged + side merged by event time (2) → out.
     * Left records later than right's last wait for right's end in (1); side records later than everything wait in (2)
     * for merged's end, which (1) publishes once left (through (0)) and right have ended.
     */
    static Topology chain() {
        TopologyBuilder b = new TopologyBuilder("chain");
        b.stream("raw", String.class).mapValues(v -> "L" + v, Named.as("to-left")).to("left");
        b.stream("left", String.class).merge(b.stream("right", String.class), Named.as("merge")).to("merged");
        b.stream("merged", String.class).merge(b.stream("side", String.class), Named.as("merge-side")).to("out");
        return b.build();
    }

    @Test
    void theEndReachesTheLastSubTopologyWithoutWaitingForPunctuations() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher rawFeed = feed(ns, "raw-feed");
        EventPublisher rightFeed = feed(ns, "right-feed");
        EventPublisher sideFeed = feed(ns, "side-feed");
        List<EventTimeAlignmentTest.Ev> events = EventTimeAlignmentTest.raw();
        List<String> expected = new ArrayList<>(EventTimeAlignmentTest.expected());
        expected.addAll(List.of("S0", "S1"));   // after every merged record (their last is at 118 s)
        try (StreamsRuntime runtime = new StreamsRuntime(chain(), hourlyPunctuation(ns), RedisTestSupport.template())) {
            runtime.start();
            sideFeed.sendAll(Flux.just(new EventPublisher.Event("side", "k", "S0", BASE + 200_000),
                    new EventPublisher.Event("side", "k", "S1", BASE + 201_000)), 2, true).block();
            sideFeed.watermark("side", Long.MAX_VALUE).block();
            for (String stream : List.of("raw", "right")) {
                EventPublisher feed = stream.equals("raw") ? rawFeed : rightFeed;
                feed.sendAll(Flux.fromIterable(events).filter(e -> e.stream().equals(stream))
                        .map(e -> new EventPublisher.Event(stream, "k", e.value(), e.time())), 3, true).block();
                feed.watermark(stream, Long.MAX_VALUE).block();
            }
            // told while task 0_0 has most of raw still to process: it passes the end on after its last batch
            runtime.inputEnded("raw");
            runtime.inputEnded("right");
            runtime.inputEnded("side");

            assertThat(runtime.awaitDrained(Duration.ofSeconds(30)))
                    .as("drained: nothing held (an hour's punctuation interval, so only the notices release it); left: %s",
                            runtime.undrained())
                    .isTrue();
            assertThat(out(ns)).isEqualTo(expected);
            for (String task : List.of("0_0", "1_0", "2_0")) {
                String stream = Map.of("0_0", "left", "1_0", "merged", "2_0", "out").get(task);
                assertThat(RedisTestSupport.template().opsForHash()
                        .get(new StreamKeys(ns).watermarks(stream, 0), "chain:" + task).block())
                        .as("task %s published the end of its input", task).isEqualTo(Long.toString(Long.MAX_VALUE));
            }
        }
    }

    @Test
    void aNoticeOfAnInputThatHasNotEndedChangesNothing() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher rightFeed = feed(ns, "right-feed");
        EventPublisher rawFeed = feed(ns, "raw-feed");
        try (StreamsRuntime runtime = new StreamsRuntime(chain(), hourlyPunctuation(ns), RedisTestSupport.template())) {
            runtime.start();
            rawFeed.sendAll(Flux.just(new EventPublisher.Event("raw", "k", "0", BASE)), 1, true).block();
            rightFeed.sendAll(Flux.just(new EventPublisher.Event("right", "k", "R0", BASE + 5_000)), 1, true).block();
            runtime.inputEnded("raw");    // wrong: raw's producer has not published its end
            runtime.inputEnded("right");
            // L0 goes through (right's watermark is past it); then R0 has a second to follow it, which it must not
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values(ns, "merged").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(1_000);
            assertThat(RedisTestSupport.template().opsForHash()
                    .get(new StreamKeys(ns).watermarks("merged", 0), "chain:1_0").block())
                    .as("no end is published on a notice alone").isNotEqualTo(Long.toString(Long.MAX_VALUE));
            assertThat(values(ns, "merged")).as("R0 still waits for left's watermark to pass 5 s").containsExactly("L0");
        }
    }

    /** Alignment by watermarks, batches of 5, and a punctuation only every hour: what ends must end by the notices. */
    private static StreamsConfig hourlyPunctuation(String ns) {
        return StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults()).withBatchSize(5)
                .withPunctuationInterval(Duration.ofHours(1)).withAlignment(InputAlignment.byWatermarks());
    }

    private static EventPublisher feed(String ns, String source) {
        return new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), source);
    }

    private static List<String> out(String ns) {
        return values(ns, "out");
    }

    private static List<String> values(String ns, String stream) {
        return RedisTestSupport.stringValues(ns, stream, 0);
    }
}
