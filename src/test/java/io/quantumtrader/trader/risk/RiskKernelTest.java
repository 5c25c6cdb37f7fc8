package io.quantumtrader.trader.risk;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.sizing.PositionSizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Risk kernel decisions and position sizing: plain Java, no Redis. */
class RiskKernelTest {

    static final RiskRules RULES = RiskRules.defaults();
    static final RiskKernel KERNEL = new RiskKernel(RULES);

    static Signal signal(double entry, double stop, double edge) {
        return new Signal("S-1", "BTC-USD", 60_000, Direction.LONG, edge, entry, stop, entry + 3 * (entry - stop), "test",
                "m", "NONE", Regime.TRENDING);
    }

    @Test
    void approvesRiskingOnePercentOfEquityAndTheSizerDividesByTheStopDistance() {
        Account a = Account.start(RULES).onDay(60_000, false);
        RiskEvaluation e = KERNEL.evaluate(signal(1000, 900, 50), a, false, 60_000);
        assertThat(e.decision()).isEqualTo(RiskEvaluation.Decision.APPROVED);
        assertThat(e.riskDimensions().allPassed()).isTrue();
        assertThat(e.positionAllowed().maxRiskUsd()).isEqualTo(1_000.0);   // 1 % of 100,000
        assertThat(e.positionAllowed().maxSize()).isEqualTo(10.0);          // 1,000 / 100
        var request = new PositionSizer().size(e, 60_000).orElseThrow();
        assertThat(request.size()).isEqualTo(10.0);
        assertThat(request.riskUsd()).isEqualTo(1_000.0);
    }

    @Test
    void modifiesTheSizeWhenTheGrossExposureCapBinds() {
        Account a = Account.start(RULES).onDay(60_000, false);
        RiskEvaluation e = KERNEL.evaluate(signal(1000, 999, 50), a, false, 60_000);   // 1,000 BTC would be 1M notional
        assertThat(e.decision()).isEqualTo(RiskEvaluation.Decision.MODIFIED);
        assertThat(e.positionAllowed().maxSize()).isEqualTo(100.0);         // 100 % of equity / price
        assertThat(e.modifications()).singleElement().asString().contains("gross exposure cap");
    }

    @Test
    void vetoesNamingTheFailedDimension() {
        Account fresh = Account.start(RULES).onDay(60_000, false);
        assertThat(KERNEL.evaluate(signal(1000, 900, 5), fresh, false, 0).vetoReason()).contains("edge score");
        assertThat(KERNEL.evaluate(signal(1000, 900, 50), fresh, true, 0).vetoReason()).contains("is open");
        Account losing = fresh.opened(10_000).closed(10_000, -5_000);
        RiskEvaluation daily = KERNEL.evaluate(signal(1000, 900, 50), losing, false, 0);
        assertThat(daily.decision()).isEqualTo(RiskEvaluation.Decision.VETOED);
        assertThat(daily.riskDimensions().dailyRiskPassed()).isFalse();
        assertThat(daily.vetoReason()).contains("daily loss 5.00%");
        Account killed = fresh.killed();
        assertThat(KERNEL.evaluate(signal(1000, 900, 50), killed, false, 0).vetoReason()).isEqualTo("kill switch active");
        assertThat(new PositionSizer().size(daily, 0)).isEmpty();
    }

    @Test
    void aNewUtcDayResetsDailyFiguresAndOnlyOptionallyTheKillSwitch() {
        Account a = Account.start(RULES).onDay(1_000, false).opened(1).closed(1, -6_000).killed();
        long nextDay = 86_400_000L + 5;
        assertThat(a.onDay(nextDay, false).dailyRealizedUsd()).isZero();
        assertThat(a.onDay(nextDay, false).killSwitch()).isTrue();
        assertThat(a.onDay(nextDay, true).killSwitch()).isFalse();
        assertThat(a.onDay(nextDay, true).dayStartEquityUsd()).isEqualTo(94_000);
        assertThat(a.maxDrawdownPct()).isEqualTo(6.0);
    }
}
