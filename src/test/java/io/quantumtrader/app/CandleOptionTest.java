package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --candle} too large is refused as the option it is, exit code 2. Found in review (2026-12-07): a size too
 * large for a long (ms) ended in "error: unexpected error: ArithmeticException: long overflow" with exit code 1 (a
 * failed run), or "error: invalid input: For input string: ..." naming no option.
 */
class CandleOptionTest {

    @ParameterizedTest
    @ValueSource(strings = {"200000000000000d", "1000000000000d", "99999999999999999999m", "366d", "8785h"})
    void aCandleTooLargeIsRefusedAsAnInvalidOption(String candle) {
        assertThatThrownBy(() -> ReplayInputs.candle(candle)).isInstanceOf(CliException.class)
                .hasMessageContaining("invalid --candle '" + candle + "'")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.INPUT));
    }

    @Test
    void upTo365DaysIsACandle() {
        assertThat(ReplayInputs.candle("365d")).isEqualTo(Duration.ofDays(365));
        assertThat(ReplayInputs.candle("8760h")).isEqualTo(Duration.ofDays(365));
        assertThat(ReplayInputs.candle("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ReplayInputs.candle("5m")).isEqualTo(Duration.ofMinutes(5));
    }
}
