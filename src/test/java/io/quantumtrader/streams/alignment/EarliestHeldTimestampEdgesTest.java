package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A processor that holds records and cannot say when ({@code earliestHeldTimestamp} returns {@code Long.MIN_VALUE}, or
 * throws) holds its task's watermark where it is, so the order downstream is the one a correct answer gives
 * ({@link WatermarkHoldTest#EXPECTED}). Before (review of 2026-12-06) {@code Long.MIN_VALUE - 1} overflowed and the
 * watermark passed the held record (the driver gave S before H1), and an exception failed the task at every batch: the
 * runtime restarted it into the same failure and never drained, the driver threw from {@code pipeInput}.
 */
class EarliestHeldTimestampEdgesTest {

    enum Answer { MIN_VALUE, THROWS }

    /** As {@link WatermarkHoldTest#holding()}, the holder answering {@code answer} while it holds something. */
    static Topology holding(Answer answer) {
        return HoldingProcessor.topology("hold-" + answer.name().toLowerCase().replace('_', '-'), () -> new HoldingProcessor() {
            @Override
            public long earliestHeldTimestamp() {
                if (held.isEmpty()) {
                    return Long.MAX_VALUE;
                }
                if (answer == Answer.THROWS) {
                    throw new IllegalStateException("held records unreadable");
                }
                return Long.MIN_VALUE;
            }
        });
    }

    @Test
    void theDriverKeepsTheWatermarkWhereItIsWhileTheHeldTimeIsUnknown() {
        for (Answer answer : Answer.values()) {
            try (TopologyTestDriver driver = new TopologyTestDriver(holding(answer), Instant.EPOCH,
                    IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), InputAlignment.byWatermarks())) {
                TestInputStream<String> side = driver.createInputStream("side");
                TestInputStream<String> raw = driver.createInputStream("raw");
                side.pipeInput("k", "S", WatermarkHoldTest.BASE + 1_500);
                driver.endInput("side");
                for (EventPublisher.Event e : WatermarkHoldTest.RAW) {
                    raw.pipeInput(e.key(), (String) e.value(), e.timestamp());
                }
                driver.endInput("raw");
                assertThat(driver.createOutputStream("out", String.class).readValuesToList()).as(answer.name())
                        .isEqualTo(WatermarkHoldTest.EXPECTED);
            }
        }
    }

    @Test
    void theRuntimeGoesOnWithTheWatermarkWhereItIsWhenEarliestHeldTimestampThrows() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(1).withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        try (StreamsRuntime runtime = new StreamsRuntime(holding(Answer.THROWS), config, RedisTestSupport.template())) {
            runtime.start();
            feed.sendAll(Flux.just(new EventPublisher.Event("side", "k", "S", WatermarkHoldTest.BASE + 1_500)), 1, true).block();
            feed.watermark("side", Long.MAX_VALUE).block();
            feed.sendAll(Flux.fromIterable(WatermarkHoldTest.RAW), 1, true).block();
            feed.watermark("raw", Long.MAX_VALUE).block();
            runtime.inputEnded("raw");
            runtime.inputEnded("side");
            assertThat(runtime.awaitDrained(Duration.ofSeconds(15))).as("drained; left: %s", runtime.undrained()).isTrue();
            List<String> out = RedisTestSupport.stringValues(ns, "out", 0);
            assertThat(out).isEqualTo(WatermarkHoldTest.EXPECTED);
        }
    }
}
