package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionOpened;
import io.quantumtrader.trader.events.PositionUpdate;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill switch tripped by marked equity — an open position's unrealized loss at the latest tick — before any
 * position closes, on Redis (embedded), the whole pipeline from the ticks' stream on. {@link MarkedEquityTest} shows
 * it in the test driver with the venue's output made by hand, and {@link MarkedEquityDifferentialTest}'s real ticks
 * now cross every limit at a close (found in review, 2026-12-06: no test on Redis showed a mark tripping it).
 *
 * <p>Hand-made ticks of one symbol (4 a minute from 2013-11-25 00:00 UTC): a steady uptrend until the first LONG signal
 * (the candle of 01:04, ADX 99), whose entry fills at 01:05:00 (117.75 units at 1,105.13, capped by the 130 % gross
 * exposure; stop 1,100.81), then prints falling towards the stop without reaching it. With the rules of
 * config/risk-rules.yaml but a daily loss limit of 0.45 % of equity, the marked loss is 0.38 % at 1,103.0 and 0.50 %
 * at 1,102.0 (3.13 × 117.75 + the 130.13 USD entry fee): the kill switch trips on that print, the position still open,
 * and the exit brain closes it for the kill switch at the next print, above its stop. With the limits on realized
 * equity alone (the rule before 2026-12-05; {@link IndependentReference#limitsOnRealizedEquity()}) nothing would trip
 * and the position would stay open past the limit.
 */
class MarkedEquityOnRedisTest {

    static final RedisConnection REDIS = RedisConnection.embedded();
    static final long T0 = 1_385_337_600_000L;   // 2013-11-25T00:00Z
    static final String BTC = "BTC-USD";

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    /** @return the uptrend (65 minutes, 4 prints a minute, rising 1.5 a minute with a wiggle), then the fall */
    static List<PriceTick> ticks() {
        List<PriceTick> out = new ArrayList<>();
        double price = 1000;
        for (int minute = 0; minute <= 65; minute++) {
            for (int s = 0; s < 60; s += 15) {
                long t = T0 + minute * 60_000L + s * 1000L;
                if (minute == 65 && s > 0) {
                    break;   // 01:05:00, the entry's fill, is the last print of the uptrend
                }
                price += 0.375 + (s == 30 ? -0.5 : 0.2);
                out.add(new PriceTick(BTC, Math.round(price * 100) / 100.0, 0.1, t));
            }
        }
        double[] fall = {1_103.0, 1_102.0, 1_101.5, 1_101.6, 1_101.7, 1_101.8, 1_101.9, 1_102.0};
        for (int i = 0; i < fall.length; i++) {
            out.add(new PriceTick(BTC, fall[i], 0.1, T0 + 65 * 60_000L + (i + 1) * 15_000L));
        }
        return out;
    }

    @Test
    void anOpenPositionsMarkTripsTheKillSwitchBeforeItCloses() throws Exception {
        String yaml = Files.readString(DifferentialTest.RULES_FILE)
                .replaceFirst("(?m)^daily-loss-limit-pct: *[0-9.]+", "daily-loss-limit-pct: 0.45");
        assertThat(yaml).contains("daily-loss-limit-pct: 0.45", "kill-switch-resets-daily: false");
        Path file = Files.createTempFile("marked-on-redis", ".yaml");
        Files.writeString(file, yaml);
        RiskRules rules;
        try (InputStream in = Files.newInputStream(file)) {
            rules = RiskRules.load(in);
        }
        List<PriceTick> ticks = ticks();
        long trip = T0 + 65 * 60_000L + 30_000;    // the print at 1,102.0
        long close = trip + 15_000;                // the next, at 1,101.5

        String ns = TradingFixtures.runOnRedis(REDIS, rules, ticks, "marked-redis");

        List<PositionOpened> opened = TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.OPENED, PositionOpened.class);
        assertThat(opened).as("one position, filled at 01:05:00").singleElement()
                .satisfies(o -> assertThat(o.openedAt()).isEqualTo(T0 + 65 * 60_000L));
        PositionOpened position = opened.get(0);
        List<KillSwitch> kills = TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.KILL_SWITCH, KillSwitch.class);
        assertThat(kills).as("one activation, on the print at 1,102.0").singleElement().satisfies(k -> {
            assertThat(k.active()).isTrue();
            assertThat(k.activatedAt()).isEqualTo(trip);
            assertThat(k.reason()).endsWith("of marked equity >= 0.45% limit");   // to 0.1 % until 2026-12-06: "0.5% limit"
            assertThat(k.dailyLossPct()).isBetween(0.45, 0.55);
        });
        assertThat(TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.UPDATES, PositionUpdate.class))
                .as("the position open and marked at the tripping print, at a loss, above its stop")
                .anySatisfy(u -> {
                    assertThat(u.positionId()).isEqualTo(position.positionId());
                    assertThat(u.markedAt()).isEqualTo(trip);
                    assertThat(u.markPrice()).isEqualTo(1_102.0).isGreaterThan(position.stopLoss());
                    assertThat(u.unrealizedPnl()).isNegative();
                });
        List<PositionClosed> closed = TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.CLOSED, PositionClosed.class);
        assertThat(closed).as("closed after the trip, for the kill switch, not at its stop").singleElement().satisfies(c -> {
            assertThat(c.positionId()).isEqualTo(position.positionId());
            assertThat(c.closedAt()).isEqualTo(close).isGreaterThan(kills.get(0).activatedAt());
            assertThat(c.exitReason()).isEqualTo(ExitReason.KILL_SWITCH);
            assertThat(c.exitPrice()).isGreaterThan(position.stopLoss());
        });

        // both implementations of the rules agree; with the limits on realized equity nothing trips (nothing closes:
        // the prints stay above the stop) and the position is held past the limit
        IndependentReference.Rules referenceRules = IndependentReference.Rules.fromYaml(file);
        IndependentReference reference = TradingFixtures.ran(new IndependentReference(referenceRules), ticks);
        DifferentialTest.assertSameResults(REDIS, ns, reference, referenceRules);
        IndependentReference realizedOnly = TradingFixtures.ran(new IndependentReference(referenceRules).limitsOnRealizedEquity(), ticks);
        assertThat(realizedOnly.killSwitchTimes).as("on realized equity: no activation").isEmpty();
        assertThat(realizedOnly.closed).as("on realized equity: still open").isEmpty();
    }
}
