package io.quantumtrader.app;

import org.springframework.boot.convert.DurationStyle;

import java.time.Duration;
import java.util.Map;

/**
 * The stream-time lead for the CLI commands that run the engine ({@code replay}), from the environment variable Spring
 * Boot binds for {@code serve}'s {@code quantum-trader.max-stream-time-lead}: {@code QUANTUM_TRADER_MAX_STREAM_TIME_LEAD}
 * (e.g. {@code 2s}; default 1 s, {@link io.quantumtrader.streams.runtime.IngestLimits#DEFAULT_STREAM_TIME_LEAD}). The
 * replay's consumers cap stream time with it and its publisher caps the ticks' watermark with it.
 */
final class StreamTimeLeadSetting {

    static final String VARIABLE = "QUANTUM_TRADER_MAX_STREAM_TIME_LEAD";
    /** The largest lead accepted: 1 day. */
    static final Duration MAX = Duration.ofDays(1);

    private StreamTimeLeadSetting() {
    }

    /**
     * @return the lead the environment sets, or the default 1 s
     * @throws CliException (exit code 2) when the value is not a duration from 0 to {@link #MAX} (1 day: a lead that
     *                      long already takes the cap off; a larger one overflowed the ms arithmetic, found in review
     *                      2026-12-06)
     */
    static Duration fromEnvironment(Map<String, String> env) {
        String value = env.get(VARIABLE);
        if (value == null || value.isBlank()) {
            return io.quantumtrader.streams.runtime.IngestLimits.DEFAULT_STREAM_TIME_LEAD;
        }
        try {
            Duration lead = DurationStyle.detectAndParse(value.trim());
            if (lead.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            if (lead.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("more than 1d");
            }
            return lead;
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.INPUT, VARIABLE + "=" + value + " is not a valid stream-time lead ("
                    + e.getMessage() + ")", "set a duration from 0 to 1d such as 1s or 500ms", e);
        }
    }
}
