package io.quantumtrader.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live topology page's numbers say when a lag is not known: the engine's lag gauges are NaN once the lag could not
 * be read 3 times in a row (StaleLagGaugesTest), and the snapshot, which turns every non-finite value into 0, showed
 * that as "lag 0" — caught up — on the page (found in review, 2026-12-06).
 */
class LiveTopologyUnknownLagTest {

    @Test
    void aNaNLagGaugeIsAnUnknownLagNotZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<Double> ticksLag = new AtomicReference<>(Double.NaN);
        Gauge.builder("qt.streams.consumer.lag", ticksLag, AtomicReference::get)
                .tags("application", "app", "group", "app.0", "stream", "ticks", "partition", "0").register(registry);
        Gauge.builder("qt.streams.consumer.lag", () -> 12)
                .tags("application", "app", "group", "app.1", "stream", "candles", "partition", "0").register(registry);

        LiveTopologySnapshot unknown = LiveTopologySnapshot.read(registry, "app");
        assertThat(unknown.lag()).extracting(LiveTopologySnapshot.SourceLag::stream, LiveTopologySnapshot.SourceLag::known)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ticks", false),
                        org.assertj.core.groups.Tuple.tuple("candles", true));

        ticksLag.set(7.0); // read again
        assertThat(LiveTopologySnapshot.read(registry, "app").lag()).allSatisfy(l -> assertThat(l.known()).isTrue());
    }
}
