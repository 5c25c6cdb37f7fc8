package io.quantumtrader.trader.risk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): {@code kill-switch-reset --rebase-drawdown} with an open loss sets the peak to the marked equity (below the
 * realized equity). {@code Account.peaked()} then raises the peak to the realized equity at the next close of ANY
 * position, so the forgiven open loss counts again in full: closing another, small position (even at a profit) throws
 * the account straight back into HARD_DERISK. A profit raises the drawdown from 0 % to 9 %.
 */
class RebaseKeptAfterOtherCloseTest {

    static final long T0 = 1_700_000_000_000L;
    static final RiskRules RULES = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 130.0, 20, false).withDerisk(3, 8, false);

    @Test
    void aProfitableCloseOfAnotherPositionDoesNotUndoTheReBase() {
        // BTC: 100,000 USD entry notional, marked 9,100 USD down; ETH: 1,000 USD notional, flat
        Account a = Account.start(RULES).onDay(T0, false).opened(100_000).opened(1_000).marked(-9_100);
        assertThat(DeRisk.of(RULES, DeRiskState.NORMAL, a.drawdownPct(), 0)).isEqualTo(DeRiskState.HARD_DERISK);
        a = a.reset().drawdownRebased();                       // the operator forgives the open loss
        assertThat(a.drawdownPct()).isZero();
        // ETH closes at +10 USD (its marked part 0 before the close), BTC unchanged
        a = a.closed(1_000, 10, 0);
        assertThat(a.markedEquityUsd()).as("marked equity rose by the 10 USD profit").isEqualTo(90_910.0);
        assertThat(a.drawdownPct()).as("drawdown after a profitable close, measured from the re-base on").isZero();
        assertThat(DeRisk.of(RULES, DeRiskState.NORMAL, a.drawdownPct(), 0)).isEqualTo(DeRiskState.NORMAL);
    }

    /** Once the forgiven loss is realized (the re-based position closed), the peak follows realized equity again. */
    @Test
    void theForgivenLossEndsWhenItIsRealizedAndLaterGainsRaiseThePeak() {
        Account a = Account.start(RULES).onDay(T0, false).opened(100_000).opened(1_000).marked(-9_100);
        a = a.reset().drawdownRebased();
        assertThat(a.forgivenUsd()).isEqualTo(9_100.0);
        a = a.closed(100_000, -9_100, -9_100);                 // BTC closes at its mark of the re-base: the loss realized
        assertThat(a.forgivenUsd()).isZero();
        assertThat(a.peakEquityUsd()).isEqualTo(90_900.0);
        assertThat(a.drawdownPct()).isZero();
        a = a.closed(1_000, 5_000, 0);                         // ETH closes +5,000: a new high of realized equity
        assertThat(a.peakEquityUsd()).isEqualTo(95_900.0);
        a = a.opened(50_000).marked(-959);                     // a new position 959 USD down: 1 % from the new peak
        assertThat(a.drawdownPct()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** A recovery of the forgiven position does not shrink the forgiven loss: only a close realizing it does. */
    @Test
    void aRecoveryDoesNotShrinkTheForgivenLossAClosedLossDoes() {
        Account a = Account.start(RULES).onDay(T0, false).opened(100_000).opened(1_000).marked(-9_100).reset().drawdownRebased();
        a = a.marked(-2_000).closed(1_000, 10, 0);             // BTC back to -2,000, ETH closes +10
        assertThat(a.forgivenUsd()).isEqualTo(9_100.0);
        assertThat(a.peakEquityUsd()).as("no unrealized recovery in the peak").isEqualTo(90_910.0);
        assertThat(a.drawdownPct()).isZero();
        a = a.opened(10_000).closed(100_000, -2_000, -2_000);  // BTC closes at -2,000: that much of the loss realized
        assertThat(a.forgivenUsd()).isEqualTo(7_100.0);
        a = a.closed(10_000, 0, 0);                            // flat: nothing left to forgive
        assertThat(a.forgivenUsd()).isZero();
        assertThat(a.peakEquityUsd()).as("the peak at realized equity once flat").isEqualTo(a.equityUsd());
    }
}
