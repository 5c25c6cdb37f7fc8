package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replay reads serve's {@code max-stream-time-lead} from the environment, as Spring binds it for serve. */
class StreamTimeLeadSettingTest {

    @Test
    void theReplayTakesServesStreamTimeLeadFromTheEnvironment() {
        assertThat(StreamTimeLeadSetting.fromEnvironment(Map.of())).isEqualTo(Duration.ofSeconds(1));
        assertThat(StreamTimeLeadSetting.fromEnvironment(Map.of(StreamTimeLeadSetting.VARIABLE, " 2s "))).isEqualTo(Duration.ofSeconds(2));
        assertThat(StreamTimeLeadSetting.fromEnvironment(Map.of(StreamTimeLeadSetting.VARIABLE, "PT0.5S"))).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> StreamTimeLeadSetting.fromEnvironment(Map.of(StreamTimeLeadSetting.VARIABLE, "soon")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("QUANTUM_TRADER_MAX_STREAM_TIME_LEAD=soon is not a valid stream-time lead")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.INPUT));
        assertThatThrownBy(() -> StreamTimeLeadSetting.fromEnvironment(Map.of(StreamTimeLeadSetting.VARIABLE, "-1s")))
                .isInstanceOf(CliException.class);
    }

    /** Found in review, 2026-12-06: 200000000000d passed, then overflowed the ms arithmetic (ArithmeticException). */
    @Test
    void aLeadAboveADayIsRefusedAsASetting() {
        assertThat(StreamTimeLeadSetting.fromEnvironment(Map.of(StreamTimeLeadSetting.VARIABLE, "1d"))).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> StreamTimeLeadSetting.fromEnvironment(Map.of(StreamTimeLeadSetting.VARIABLE, "200000000000d")))
                .isInstanceOf(CliException.class).hasMessageContaining("more than 1d");
        assertThatThrownBy(() -> io.quantumtrader.streams.runtime.IngestLimits.defaults()
                .withMaxStreamTimeLead(Duration.ofDays(200_000_000_000L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream-time lead");
    }
}
