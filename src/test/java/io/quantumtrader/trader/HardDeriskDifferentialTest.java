package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HARD_DERISK's reduction to the gross exposure cap on Redis against {@link IndependentReference}'s own model of it, on
 * the first 3,000 real Bitstamp ticks under rules that reach it: a 50 % cap, HARD_DERISK from 4 % drawdown, no kill
 * switch in the way. A position sized to the cap at its signal's price fills a little higher (the next tick, plus
 * slippage), so in HARD_DERISK the book is 0.000124 BTC over the cap: that much is closed (DERISK_REDUCE), not the
 * whole position of about 60 BTC as before 2026-12-06.
 */
class HardDeriskDifferentialTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void thePipelineReducesTheBookToTheCapAsTheReferenceDoes() {
        List<PriceTick> ticks = TradingFixtures.realTicks(3_000);
        RiskRules rules = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 50.0, 20, true).withDerisk(0, 4.0, false);
        IndependentReference.Rules referenceRules = new IndependentReference.Rules(100_000, 1.0, 50, 50, 3, 50, 20, true, true,
                0, 4.0, false, 0.5, 5, 10, 10, 1, 300, 16, 10);
        String ns = TradingFixtures.runOnRedis(REDIS, rules, ticks, "reduce");
        IndependentReference reference = TradingFixtures.ran(new IndependentReference(referenceRules), ticks);

        List<PositionClosed> reductions = reference.closed.stream().filter(c -> c.exitReason() == ExitReason.DERISK_REDUCE).toList();
        assertThat(reductions).as("the reference reduces once, by the excess over the cap").singleElement().satisfies(c -> {
            assertThat(c.size()).isEqualTo(0.000124);
            double entered = reference.fills.stream().filter(f -> f.positionId().equals(c.positionId())
                    && f.purpose() == OrderFilled.Purpose.ENTRY).mapToDouble(OrderFilled::size).sum();
            assertThat(entered).as("the position it reduces").isGreaterThan(50);
        });
        assertThat(reference.closed).as("the rest of that position closes later, by its stop")
                .anySatisfy(c -> {
                    assertThat(c.positionId()).isEqualTo(reductions.get(0).positionId());
                    assertThat(c.exitReason()).isEqualTo(ExitReason.STOP_LOSS);
                });
        DifferentialTest.assertSameResults(REDIS, ns, reference, referenceRules);
    }
}
