package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.trader.events.AuditEntry;
import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * HARD_DERISK's reduction to the cap ({@code DERISK_REDUCE}) through the whole trading topology on Redis (embedded),
 * equal to {@link IndependentReference}. Since the 130 % gross exposure cap holds at the fill ({@code EntryAtFill},
 * {@code GrossExposureCapAtFillTest}, review 2 of 2026-12-06) the book goes over the cap only when realized equity
 * falls while a position stays open: here a loss closed on one symbol. ({@link HardDeriskDifferentialTest} no longer
 * reaches a reduction; {@link HardDeriskReductionTest} and {@link DeriskReduceAuditTest} show it in the test driver.)
 *
 * <p>Hand-made ticks of two symbols, 4 a minute from 2013-11-25 00:00 UTC, each a steady uptrend as in
 * {@link MarkedEquityOnRedisTest} (AAA-USD with 8 times its steps, so a wider stop), BBB-USD a minute after AAA-USD:
 * <ol>
 *   <li>01:05:00 AAA-USD's entry fills, sized by its risk (1 % of equity at its stop): 28.10143 at 1,837.52, 51,637 USD;</li>
 *   <li>01:06:00 BBB-USD's entry fills sized by the cap (what AAA-USD leaves of 130,000 USD): 70.90835 at 1,105.13, 78,363 USD;</li>
 *   <li>01:07:00 AAA-USD crashes to 300 (a gap through its stop; the price band off so the print is not held): its
 *       stop loss fills at 01:07:15 at 299.85, -43,270.74 USD; realized equity 56,729.26, so the cap is 73,748 USD and
 *       BBB-USD's 78,363 is over it; the drawdown (marked, from 01:07:00) is far over 8 %: HARD_DERISK;</li>
 *   <li>BBB-USD's next print reduces it by 4.192291 (DERISK_REDUCE, a partial exit order named by its tick), filled at
 *       the print after: the excess, and as much again as the fill's own loss takes off the cap
 *       ({@code CapReduction}), so the book is at the cap after it and nothing more is reduced (until 2026-12-06 it
 *       reduced 4.176034, the excess alone, and the fill's loss lowered the cap: two tiny reductions followed). Since
 *       the review of 2026-12-06 the loss of AAA-USD's stop, still pending at BBB-USD's print, is counted (estimated at
 *       AAA-USD's mark, 300), so the reduction is decided while the stop is pending (4.192278 before, decided after
 *       the stop filled); and since the same day's review it is sized with what the rounding of the two fills' booked
 *       P&amp;L may take off the cap (1.3 x 2 x 0.00505 USD), 4.192291 instead of 4.192279, so that the book ends at or
 *       below the cap ({@code CapReduction.bookingRoundingUsd}).</li>
 * </ol>
 * Rules: config/risk-rules.yaml with the daily loss limit and the maximum drawdown at 50 % (the kill switch would
 * otherwise close everything first) and the price band off.
 */
class HardDeriskAfterLossOnRedisTest {

    static final RedisConnection REDIS = RedisConnection.embedded();
    static final long T0 = 1_385_337_600_000L;   // 2013-11-25T00:00Z
    static final String AAA = "AAA-USD";
    static final String BBB = "BBB-USD";

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    /** 65 minutes of an uptrend from {@code start}, 4 prints a minute, {@code scale} times the steps of {@link MarkedEquityOnRedisTest} */
    static void uptrend(List<PriceTick> out, String symbol, long start, double scale) {
        double price = 1000;
        for (int minute = 0; minute <= 65; minute++) {
            for (int s = 0; s < 60; s += 15) {
                if (minute == 65 && s > 0) {
                    break;   // the entry's fill is the last print of the uptrend
                }
                price += scale * (0.375 + (s == 30 ? -0.5 : 0.2));
                out.add(new PriceTick(symbol, Math.round(price * 100) / 100.0, 0.1, start + minute * 60_000L + s * 1000L));
            }
        }
    }

    /** @return both uptrends, then from 01:06:00 AAA-USD flat and crashing to 300 at 01:07:00, BBB-USD flat (5 s after AAA-USD's prints) */
    static List<PriceTick> ticks() {
        List<PriceTick> out = new ArrayList<>();
        uptrend(out, AAA, T0, 8);
        uptrend(out, BBB, T0 + 60_000, 1);
        double[] aaa = {1836.6, 1836.6, 1836.6, 1836.6, 300, 300, 300, 300};
        long t = T0 + 66 * 60_000L;
        for (int i = 0; i < 10; i++) {
            if (i < aaa.length) {
                out.add(new PriceTick(AAA, aaa[i], 0.1, t + i * 15_000L));
            }
            out.add(new PriceTick(BBB, 1104.6, 0.1, t + i * 15_000L + 5_000));
        }
        out.sort(Comparator.comparingLong(PriceTick::timestamp).thenComparing(PriceTick::symbol));
        return out;
    }

    @Test
    void aLossClosedOnOneSymbolPutsTheOtherOverTheCapAndHardDeriskReducesItAsTheReferenceDoes() throws Exception {
        String yaml = Files.readString(DifferentialTest.RULES_FILE)
                .replaceFirst("(?m)^daily-loss-limit-pct: *[0-9.]+", "daily-loss-limit-pct: 50.0")
                .replaceFirst("(?m)^max-drawdown-pct: *[0-9.]+", "max-drawdown-pct: 50.0")
                .replaceFirst("(?m)^price-band-pct: *[0-9.]+", "price-band-pct: 0");
        assertThat(yaml).contains("daily-loss-limit-pct: 50.0", "max-drawdown-pct: 50.0", "price-band-pct: 0",
                "gross-exposure-cap-pct: 130.0", "hard-derisk-drawdown-pct: 8.0");
        Path file = Files.createTempFile("derisk-after-loss", ".yaml");
        Files.writeString(file, yaml);
        RiskRules rules;
        try (InputStream in = Files.newInputStream(file)) {
            rules = RiskRules.load(in);
        }
        IndependentReference.Rules referenceRules = IndependentReference.Rules.fromYaml(file);
        List<PriceTick> ticks = ticks();

        String ns = TradingFixtures.runOnRedis(REDIS, rules, ticks, "derisk-after-loss");
        IndependentReference reference = TradingFixtures.ran(new IndependentReference(referenceRules), ticks);

        // the scenario as the reference (the rules written again) sees it
        List<OrderFilled> entries = reference.fills.stream().filter(f -> f.purpose() == OrderFilled.Purpose.ENTRY).toList();
        assertThat(entries).extracting(OrderFilled::symbol).as("both symbols entered").containsExactly(AAA, BBB);
        assertThat(entries.stream().mapToDouble(f -> f.size() * f.price()).sum()).as("the sizer fills the book to the 130 % cap")
                .isCloseTo(130_000, within(50.0));
        assertThat(reference.closed.get(0)).as("AAA-USD closed at its stop, a large loss").satisfies(c -> {
            assertThat(c.symbol()).isEqualTo(AAA);
            assertThat(c.exitReason()).isEqualTo(ExitReason.STOP_LOSS);
            assertThat(c.realizedPnl()).isLessThan(-40_000);
        });
        assertThat(reference.deRiskChanges).as("the account enters HARD_DERISK").contains("NORMAL -> HARD_DERISK");
        List<PositionClosed> reductions = reference.closed.stream().filter(c -> c.exitReason() == ExitReason.DERISK_REDUCE).toList();
        assertThat(reductions).as("BBB-USD reduced, partially, after AAA-USD's loss closed").isNotEmpty().allSatisfy(c -> {
            assertThat(c.symbol()).isEqualTo(BBB);
            assertThat(c.partial()).isTrue();
            assertThat(c.closedAt()).isGreaterThan(reference.closed.get(0).closedAt());
        });
        double equity = reductions.get(reductions.size() - 1).equityUsd();
        double open = reference.openPositions().stream().mapToDouble(o -> o.size() * o.entryPrice()).sum();
        assertThat(open).as("BBB-USD's rest at the cap of the equity left (entry notional, USD), within a cent: the "
                        + "booked P&L is rounded to cents")
                .isLessThanOrEqualTo(equity * 1.3 + io.quantumtrader.trader.risk.CapReduction.CENT_USD)
                .isCloseTo(equity * 1.3, within(1.0));

        // the pipeline on Redis: the exit brain's decisions and their audit entries (as DeriskReduceAuditTest names them)
        List<ExitDecision> decisions = TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.EXITS, ExitDecision.class)
                .stream().filter(x -> x.reason() == ExitReason.DERISK_REDUCE).toList();
        assertThat(decisions).as("one reduction: sized with the loss it realizes, it leaves the book at the cap after "
                + "its fill (three, each smaller, before 2026-12-06)").hasSize(1);
        assertThat(decisions).as("one DERISK_REDUCE decision per reduction the reference filled")
                .extracting(ExitDecision::quantity)
                .containsExactlyElementsOf(reductions.stream().map(PositionClosed::size).toList());
        assertThat(decisions.get(0)).satisfies(d -> {
            assertThat(d.symbol()).isEqualTo(BBB);
            assertThat(d.quantity()).as("78,363 USD against a cap of 1.3 x 56,729.26, and the reduction's own loss: 4.192291 of 70.90835")
                    .isCloseTo(4.192291, within(1e-9));
        });
        List<String> audit = TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.AUDIT, AuditEntry.class).stream()
                .filter(a -> "EXIT".equals(a.decisionType()) && a.summary().startsWith("DERISK_REDUCE")).map(AuditEntry::summary).toList();
        assertThat(audit).as("the audit log's EXIT entries of the reductions")
                .containsExactlyElementsOf(decisions.stream().map(ExitDecision::auditSummary).toList());
        assertThat(audit.get(0)).isEqualTo("DERISK_REDUCE at 1104.6: reduces 4.192291 units, 4630.80 USD at the trigger price");

        // and every compared stream equals the reference's: fills, closes, daily P&L, kill switch, de-risk changes,
        // cancelled orders, open positions, invariants
        DifferentialTest.assertSameResults(REDIS, ns, reference, referenceRules);
    }
}
