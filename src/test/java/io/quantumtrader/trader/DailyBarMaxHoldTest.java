package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07, candle sizes): with {@code --candle 1d} on daily bars (a prices CSV: one tick per date
 * at 00:00 UTC), the exit brain's time exit was a fixed 4 hours of event time, not a number of candles as the other
 * candle-counted rules ({@code pending-entry-expiry-candles}, {@code volatility-spike-stale-candles}): every position
 * still open at the next bar was TIME_EXITed there (48 of 56 trades on 300 synthetic daily bars). Now
 * {@code max-hold-candles} (default 240: 4 hours of 1-minute candles) candles of the candle size.
 */
class DailyBarMaxHoldTest {

    private static final long DAY = 86_400_000L;

    @Test
    void onDailyBarsAPositionIsNotTimeExitedAtTheVeryNextBar() {
        Random rnd = new Random(7);
        double p = 100;
        long t0 = 1_577_836_800_000L;   // 2020-01-01T00:00Z
        try (TopologyTestDriver driver = new TopologyTestDriver(
                QuantumTraderTopology.build(RegimeRules.defaults(), RiskRules.defaults(), Duration.ofDays(1)))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            var closed = driver.createOutputStream(QuantumTraderTopology.CLOSED, PositionClosed.class);
            for (int i = 0; i < 300; i++) {
                double drift = (i / 60) % 2 == 0 ? 0.01 : -0.012;
                p *= Math.exp(drift + rnd.nextGaussian() * 0.01);
                long t = t0 + i * DAY;
                in.pipeInput("SYN", new PriceTick("SYN", Math.round(p * 10_000) / 10_000.0, 0, t), t);
            }
            List<PositionClosed> all = closed.readValuesToList();
            assertThat(all).as("daily-bar trades").isNotEmpty();
            List<PositionClosed> afterOneBar = all.stream()
                    .filter(c -> c.exitReason() == ExitReason.TIME_EXIT && c.holdDurationMs() <= 2 * DAY).toList();
            assertThat(afterOneBar)
                    .as("positions time-exited by the first bar after their open (4 h max hold on 1-day candles), of %d closed",
                            all.size())
                    .isEmpty();
            assertThat(all).as("no time exit before 240 daily candles")
                    .noneMatch(c -> c.exitReason() == ExitReason.TIME_EXIT && c.holdDurationMs() < 240 * DAY);
        }
    }

    @Test
    void theMaxHoldIsCountedInCandlesAndOptionalInTheRulesFile() throws Exception {
        assertThat(io.quantumtrader.trader.exit.ExitBrain.forCandles(240, Duration.ofMinutes(1)))
                .as("240 one-minute candles: the seed's 4 hours").isEqualTo(io.quantumtrader.trader.exit.ExitBrain.defaults());
        assertThat(io.quantumtrader.trader.exit.ExitBrain.forCandles(3, Duration.ofDays(1)).maxHold()).isEqualTo(Duration.ofDays(3));
        String file = java.nio.file.Files.readString(java.nio.file.Path.of("config/risk-rules.yaml"));
        assertThat(RiskRules.load(new java.io.ByteArrayInputStream(file.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .maxHoldCandles()).isEqualTo(240);
        String without = file.lines().filter(l -> !l.startsWith("max-hold-candles")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(RiskRules.load(new java.io.ByteArrayInputStream(without.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .maxHoldCandles()).as("optional: its default").isEqualTo(RiskRules.DEFAULT_MAX_HOLD_CANDLES);
        String zero = file.replace("max-hold-candles: 240", "max-hold-candles: 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RiskRules.load(new java.io.ByteArrayInputStream(
                        zero.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .hasMessageContaining("max-hold-candles must be at least 1 candle, was 0");
        assertThat(RiskRules.defaults().withMaxHoldCandles(10).maxHoldCandles()).isEqualTo(10);
    }
}
