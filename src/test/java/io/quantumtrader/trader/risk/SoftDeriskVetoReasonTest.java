package io.quantumtrader.trader.risk;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.Regime;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In SOFT_DERISK an approval whose halved size rounds to 0 (a millionth of a unit) is VETOED for that reason, on the
 * trade-risk dimension. Found in review 2 (2026-12-06): the veto said "gross exposure cap 130% reached (incl. pending
 * orders)" with system integrity failed (RiskKernel, the SOFT_DERISK branch), although nothing was open or pending:
 * the audit log and the risk dimensions named a limit that was not reached.
 */
class SoftDeriskVetoReasonTest {

    @Test
    void aHalvedSizeThatRoundsToNothingIsVetoedForThatNotForTheGrossExposureCap() {
        RiskRules rules = RiskRules.of(1, 1.0, 5.0, 10.0, 3, 130.0, 20, false);   // 1 USD account: 0.01 USD risk per trade
        RiskKernel kernel = new RiskKernel(rules, 0);
        long t = 1_700_000_000_000L;
        Account soft = Account.start(rules).onDay(t, false).withDeRisk(DeRiskState.SOFT_DERISK);
        // 0.01 USD / 6,666 USD per unit = 1.5e-6 units in NORMAL, 0.75e-6 halved: rounds to 0
        Signal s = new Signal("S-1", "BTC-USD", t, Direction.LONG, 80, 10_000, 3_334, 30_000, "t", "m", "NONE", Regime.TRENDING);
        RiskEvaluation e = kernel.evaluate(s, soft, Exposure.none(), t);
        assertThat(e.decision()).isEqualTo(RiskEvaluation.Decision.VETOED);
        assertThat(e.vetoReason()).doesNotContain("gross exposure cap")
                .isEqualTo("size rounds to 0 under SOFT_DERISK halving (1.50e-06 halved to 7.50e-07 units, below the 0.000001 step)");
        assertThat(e.riskDimensions().systemIntegrityPassed()).isTrue();
        assertThat(e.riskDimensions().tradeRiskPassed()).isFalse();

        // in NORMAL the same signal is approved at its 1.5e-6 units
        RiskEvaluation normal = kernel.evaluate(s, Account.start(rules).onDay(t, false), Exposure.none(), t);
        assertThat(normal.decision()).isEqualTo(RiskEvaluation.Decision.APPROVED);
    }
}
