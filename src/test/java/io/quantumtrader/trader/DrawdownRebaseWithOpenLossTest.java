package io.quantumtrader.trader;

import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import static io.quantumtrader.trader.MarkedEquityTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An operator's {@code --rebase-drawdown} with an open loss sets the peak to the (lower) marked equity
 * ({@link Account#drawdownRebased()}); the peak rises again only with realized equity (a close). Found in review 2
 * (2026-12-06): the next tick whose mark differed ran {@link Account#marked} through the close's peak rule, which raised
 * the peak straight back to the realized equity, so the re-base was undone one tick later and the account fell back
 * into HARD_DERISK. Example: LONG 10 at 10,000 on a 100,000 account, marked at 9,100 (90,900, 9.1 % down: HARD_DERISK),
 * re-based (peak 90,900), next tick 9,095: the peak went back to 100,000.
 */
class DrawdownRebaseWithOpenLossTest {

    /** HARD_DERISK from an 8 % drawdown, SOFT_DERISK from 3 %; no kill switch (50 % daily limit). */
    static final RiskRules RULES = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 130.0, 20, false).withDerisk(3, 8, false);

    /** Plain Java: the account alone. */
    @Test
    void theNextMarkKeepsTheReBasedPeak() {
        Account a = Account.start(RULES).onDay(T0, false).opened(100_000).marked(-9_100);   // marked 90,900: 9.1 % down
        a = a.reset().drawdownRebased();
        assertThat(a.peakEquityUsd()).isCloseTo(90_900, within(1e-6));
        a = a.marked(-9_150);   // the next tick: 50 USD lower
        assertThat(a.peakEquityUsd()).as("peak after a mere re-mark (no close), USD").isCloseTo(90_900, within(1e-6));
        assertThat(a.drawdownPct()).isCloseTo(50 / 90_900.0 * 100, within(1e-9));
    }

    /** A close after the re-base still raises the peak to realized equity when that is higher (drawdownRebased's rule). */
    @Test
    void aCloseAfterTheReBaseRaisesThePeakToRealizedEquity() {
        Account a = Account.start(RULES).onDay(T0, false).opened(100_000).marked(-9_100).reset().drawdownRebased()
                .marked(-5_000);
        assertThat(a.peakEquityUsd()).as("a mark, even a better one, does not move the peak").isCloseTo(90_900, within(1e-6));
        a = a.closed(100_000, -5_000, -5_000);   // realized 95,000
        assertThat(a.peakEquityUsd()).isCloseTo(95_000, within(1e-6));
    }

    /** The same through position state (test driver, no Redis): the account must not re-enter HARD_DERISK on the next tick. */
    @Test
    void theNextTickDoesNotUndoTheReBase() {
        try (MarkedEquityTest.Portfolio p = new MarkedEquityTest.Portfolio(RULES)) {
            p.entry(10_000, T0);
            p.tick(9_100, T0 + 1_000);   // 90,900: HARD_DERISK
            assertThat(p.account().deRisk()).isEqualTo(DeRiskState.HARD_DERISK);
            long resetAt = T0 + 2_000;
            p.signal("ETH-USD", new KillSwitch(Account.PAPER, false, "reviewed: resume", 0, resetAt, true), resetAt + 1);
            assertThat(p.account().deRisk()).isNotEqualTo(DeRiskState.HARD_DERISK);
            p.tick(9_095, T0 + 3_000);   // 5 USD per unit lower: 50 USD, 0.055 % below the re-based peak
            assertThat(p.account().peakEquityUsd()).isCloseTo(90_900, within(1e-6));
            assertThat(p.account().deRisk()).as("0.055 % drawdown after the re-base").isEqualTo(DeRiskState.NORMAL);
        }
    }
}
