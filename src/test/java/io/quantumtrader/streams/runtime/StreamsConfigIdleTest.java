package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The idle back-off is settable (bench --latency --idle-max-ms) and refuses a range that cannot be honoured. */
class StreamsConfigIdleTest {

    @Test
    void setsTheIdleBackOffAndKeepsTheRest() {
        StreamsConfig d = StreamsConfig.defaults().withNamespace("n").withBatchSize(7);
        StreamsConfig c = d.withIdle(Duration.ofMillis(1), Duration.ofMillis(5));
        assertThat(c.idleMin()).isEqualTo(Duration.ofMillis(1));
        assertThat(c.idleMax()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.withIdle(d.idleMin(), d.idleMax())).isEqualTo(d);
        assertThat(c.namespace()).isEqualTo("n");
        assertThat(c.batchSize()).isEqualTo(7);
    }

    @Test
    void refusesMaxBelowMinOrANegativeMin() {
        StreamsConfig d = StreamsConfig.defaults();
        assertThatThrownBy(() -> d.withIdle(Duration.ofMillis(10), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 <= min <= max");
        assertThatThrownBy(() -> d.withIdle(Duration.ofMillis(-1), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A stale-consumer idle of 0 (or less) is refused: it judged every other application's consumer stale at once. */
    @Test
    void refusesAStaleConsumerIdleThatIsNotPositive() {
        StreamsConfig d = StreamsConfig.defaults();
        assertThatThrownBy(() -> d.withStaleConsumerIdle(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("staleConsumerIdle must be positive, was PT0S");
        assertThatThrownBy(() -> d.withStaleConsumerIdle(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withStaleConsumerIdle(Duration.ofMillis(300)).staleConsumerIdle()).isEqualTo(Duration.ofMillis(300));
    }

    /** A punctuation interval of 0 (or less) is refused: every task hung (the replay with --punctuation-ms 0, 2026-12-06). */
    @Test
    void refusesAPunctuationIntervalThatIsNotPositive() {
        StreamsConfig d = StreamsConfig.defaults();
        assertThatThrownBy(() -> d.withPunctuationInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("punctuationInterval must be positive, was PT0S");
        assertThatThrownBy(() -> d.withPunctuationInterval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withPunctuationInterval(Duration.ofMillis(1)).punctuationInterval()).isEqualTo(Duration.ofMillis(1));
    }

    /**
     * A runtime with alignment whose idle timeout is not longer than the punctuation interval is refused at its start:
     * a holding task's hold mark moves once per punctuation, so its readers would count it idle between heartbeats.
     */
    @Test
    void theRuntimeRefusesAnAlignmentIdleTimeoutNotLongerThanThePunctuationInterval() {
        io.quantumtrader.streams.dsl.TopologyBuilder b = new io.quantumtrader.streams.dsl.TopologyBuilder("idle-vs-punctuation");
        b.stream("in", String.class).to("out");
        io.quantumtrader.streams.dsl.Topology topology = b.build();
        StreamsConfig base = StreamsConfig.defaults().withNamespace(io.quantumtrader.streams.RedisTestSupport.freshNamespace())
                .withPunctuationInterval(Duration.ofSeconds(1));
        for (Duration idle : new Duration[] {Duration.ofSeconds(1), Duration.ofMillis(500)}) {
            StreamsConfig config = base.withAlignment(InputAlignment.byWatermarks().withIdleTimeout(idle));
            try (StreamsRuntime runtime = new StreamsRuntime(topology, config, io.quantumtrader.streams.RedisTestSupport.template())) {
                assertThatThrownBy(runtime::start).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("alignment idleTimeout (" + idle + ") must be longer than punctuationInterval (PT1S): "
                                + "holding tasks refresh their hold mark at each punctuation; raise the idle timeout or "
                                + "shorten the interval");
            }
        }
        // the same timeout with a shorter interval, no idle timeout, or alignment off: accepted
        StreamsRuntime.refuseIdleTimeoutNotAbovePunctuation(base.withPunctuationInterval(Duration.ofMillis(999))
                .withAlignment(InputAlignment.byWatermarks().withIdleTimeout(Duration.ofSeconds(1))));
        StreamsRuntime.refuseIdleTimeoutNotAbovePunctuation(base.withAlignment(InputAlignment.byWatermarks()));
        StreamsRuntime.refuseIdleTimeoutNotAbovePunctuation(base.withAlignment(new InputAlignment(false, Duration.ofMillis(1))));
    }
}
