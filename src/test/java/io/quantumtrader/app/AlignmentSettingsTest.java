package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.InputAlignment;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve}'s event-time alignment comes from its settings, as Spring binds them from {@code application.yml} or
 * the environment ({@code QUANTUM_TRADER_ALIGNMENT_IDLE_TIMEOUT}, {@code QUANTUM_TRADER_MAX_HELD_PER_INPUT}); before
 * 2026-12-06 it was hard-coded (idle timeout 5 s, and no bound on what it held).
 */
class AlignmentSettingsTest {

    private static QuantumTraderProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("quantum-trader", QuantumTraderProperties.class);
    }

    @Test
    void theDefaultsAreAFiveSecondIdleTimeoutAndTenThousandRecordsHeldPerInput() {
        InputAlignment a = bind(Map.of()).alignment();
        assertThat(a.enabled()).isTrue();
        assertThat(a.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.maxHeldPerInput()).isEqualTo(InputAlignment.DEFAULT_MAX_HELD_PER_INPUT).isEqualTo(10_000);
    }

    @Test
    void bothAreSettings() {
        InputAlignment a = bind(Map.of("quantum-trader.alignment-idle-timeout", "2s",
                "quantum-trader.max-held-per-input", "500")).alignment();
        assertThat(a.idleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.maxHeldPerInput()).isEqualTo(500);
        assertThatThrownBy(() -> bind(Map.of("quantum-trader.max-held-per-input", "0")).alignment())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUANTUM_TRADER_MAX_HELD_PER_INPUT");
        assertThatThrownBy(() -> bind(Map.of("quantum-trader.alignment-idle-timeout", "0s")).alignment())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUANTUM_TRADER_ALIGNMENT_IDLE_TIMEOUT");
    }
}
