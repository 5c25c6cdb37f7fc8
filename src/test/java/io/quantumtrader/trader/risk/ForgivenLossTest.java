package io.quantumtrader.trader.risk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Found in review of d7cf9c91 (Account.forgivenUsd, 2026-12-07): an unrealized recovery entered the peak at an unrelated close; an account re-based before the upgrade lost its re-base. */
class ForgivenLossTest {

    static final long T0 = 1_700_000_000_000L;
    static final RiskRules RULES = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 130.0, 20, false).withDerisk(3, 8, false);

    /**
     * A re-based position's unrealized recovery (one upward print, say) is locked into the peak by any unrelated close:
     * the peak then holds an unrealized gain, and the price merely returning to where it was at the re-base puts the
     * account back into drawdown. Without the unrelated close the same prices leave the drawdown at 0.
     */
    @Test
    void anUnrelatedCloseDuringARecoveryDoesNotLockTheUnrealizedRecoveryIntoThePeak() {
        Account base = Account.start(RULES).onDay(T0, false).opened(100_000).opened(1_000).marked(-9_100)
                .reset().drawdownRebased();
        // BTC prints back to -500 (unrealized), ETH closes flat (0 P&L), BTC returns to its mark of the re-base
        Account withClose = base.marked(-500).closed(1_000, 0, 0).marked(-9_100);
        Account withoutClose = base.marked(-500).marked(-9_100);
        assertThat(withoutClose.drawdownPct()).isZero();
        assertThat(withClose.markedEquityUsd()).isEqualTo(withoutClose.markedEquityUsd());
        assertThat(withClose.peakEquityUsd()).as("the peak holds no unrealized gain").isEqualTo(withoutClose.peakEquityUsd());
        assertThat(DeRisk.of(RULES, DeRiskState.NORMAL, withClose.drawdownPct(), 0)).isEqualTo(DeRiskState.NORMAL);
    }

    /**
     * An account re-based (with an open loss) before forgivenUsd existed reads back with forgivenUsd 0 while its peak is
     * below its realized equity (only a re-base makes that): the next close of any position, even at a gain, raises the
     * peak to the realized equity again, the very defect d7cf9c91 fixed.
     */
    @Test
    void anAccountReBasedBeforeTheUpgradeKeepsItsReBase() {
        var serde = new io.quantumtrader.streams.record.JsonSerde<>(Account.class);
        Account rebased = Account.start(RULES).onDay(T0, false).opened(100_000).opened(1_000).marked(-9_100)
                .reset().drawdownRebased();
        String json = serde.serialize(rebased);
        assertThat(json).contains("forgiven_usd");
        String stored = json.replaceAll(",?\"forgiven_usd\":[-0-9.E]+", "");
        Account old = serde.deserialize(stored);
        assertThat(old.peakEquityUsd()).isLessThan(old.equityUsd());
        Account after = old.closed(1_000, 10, 0);
        assertThat(after.drawdownPct()).as("a +10 USD close after the upgrade").isZero();
    }
}
