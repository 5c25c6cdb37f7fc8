package io.quantumtrader.trader.risk;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.execution.PendingOrder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reasons print a limit and the figure compared with it precisely enough never to contradict themselves (found in
 * review, 2026-12-06: with a 0.45 % daily loss limit the kill switch's reason read "0.50% of marked equity >= 0.5%
 * limit", and a loss of 0.4541 % would have read "0.45% reached the 0.5% limit"): up to 4 significant digits, trailing
 * zeros stripped, for the limits and the values alike.
 */
class LimitPrecisionTest {

    static final long T = 1_700_000_000_000L;
    /** 0.75 % risk per trade, 0.45 % daily loss and drawdown limits, a 62.5 % gross cap, HARD_DERISK from 0.45 %. */
    static final RiskRules RULES = RiskRules.of(100_000, 0.75, 0.45, 0.45, 3, 62.5, 20, false).withDeriskHysteresis(0.1)
            .withDerisk(0.3, 0.45, false);

    @Test
    void aLimitOf0_45PercentPrintsAs0_45Percent() {
        Account lostToday = Account.start(RULES).onDay(T, false).marked(-454.1);   // 0.4541 % of the day's start
        RiskEvaluation e = new RiskKernel(RULES, 0).evaluate(RiskKernelTest.signal(1000, 900, 50), lostToday, Exposure.none(), T);
        assertThat(e.vetoReason()).isEqualTo("daily loss 0.4541% reached the 0.45% limit");

        PendingOrder o = new PendingOrder("o", "r", "p", "BTC-USD", Direction.LONG, OrderFilled.Purpose.ENTRY, 1, 96, 106,
                null, "1-0", 100);
        assertThat(EntryAtFill.judge(o, 100.05, lostToday, false, RULES, 5, 10).cancelled())
                .isEqualTo("cancelled: daily loss 0.4541% reached the 0.45% limit");
        assertThat(DeRisk.reason(RULES, DeRiskState.NORMAL, DeRiskState.HARD_DERISK, 0.4541, 0)).isEqualTo("drawdown 0.4541% >= 0.45%");
        assertThat(DeRisk.reason(RULES.withDeriskHysteresis(0.125), DeRiskState.HARD_DERISK, DeRiskState.HARD_DERISK, 0.3251, 0))
                .as("held by the hysteresis: 0.45 - 0.125").isEqualTo("drawdown 0.3251% still >= 0.325% (hysteresis)");
    }

    @Test
    void theGrossCapAndTheRiskPerTradeKeepTheirDecimals() {
        Account full = Account.start(RULES).onDay(T, false).opened(62_500);
        RiskEvaluation e = new RiskKernel(RULES, 0).evaluate(RiskKernelTest.signal(1000, 900, 50), full, Exposure.none(), T);
        assertThat(e.vetoReason()).isEqualTo("gross exposure cap 62.5% reached (incl. pending orders)");
    }

    @Test
    void figuresHaveUpTo4SignificantDigitsWithoutTrailingZeros() {
        assertThat(PercentFigure.of(0.45)).isEqualTo("0.45");
        assertThat(PercentFigure.of(5.0)).isEqualTo("5");
        assertThat(PercentFigure.of(130)).isEqualTo("130");
        assertThat(PercentFigure.of(8.0512)).isEqualTo("8.051");
        assertThat(PercentFigure.of(0.454149)).isEqualTo("0.4541");
        assertThat(PercentFigure.of(9.99951)).isEqualTo("10");
        assertThat(PercentFigure.of(12_345.6)).as("no exponent").isEqualTo("12350");
        assertThat(PercentFigure.of(0)).isEqualTo("0");
    }
}
