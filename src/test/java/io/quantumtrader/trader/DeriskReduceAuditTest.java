package io.quantumtrader.trader;

import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.risk.DeRiskState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.quantumtrader.trader.HardDeriskReductionTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A HARD_DERISK reduction's audit entry names how much it reduces: the quantity (units of the instrument) and its
 * notional (USD at the trigger price), as its fill and {@code position.closed} carry the size. Before 2026-12-06 the
 * entry said {@code DERISK_REDUCE at <price>} alone, though a reduction closes part of a position (found in review).
 * The audit log's EXIT entry is {@link ExitDecision#auditSummary()} (QuantumTraderTopology, {@code audit-exits}).
 * Position state and the exit brain of {@link HardDeriskReductionTest.Book}: a book of 130,000 USD against a 60 % cap;
 * 7.139017 of 10 BTC are reduced (the excess and the loss the reduction realizes, {@link HardDeriskReductionTest}). Until review 2 (2026-12-06) this ran the whole topology on the first 3,000 Bitstamp ticks,
 * where a position sized to the cap filled 0.000124 BTC over it; the cap now holds at the fill
 * ({@code GrossExposureCapAtFillTest}), so those ticks reduce nothing.
 */
class DeriskReduceAuditTest {

    @Test
    void theReductionsAuditEntryCarriesTheQuantityAndNotionalReduced() {
        try (HardDeriskReductionTest.Book book = new HardDeriskReductionTest.Book()) {
            book.tick("BTC-USD", 10_000, T0, HardDeriskReductionTest.Book.entry("BTC-USD", 10, 10_000, T0));
            book.tick("ETH-USD", 300, T0 + 1_000, HardDeriskReductionTest.Book.entry("ETH-USD", 100, 300, T0 + 1_000));
            book.tick("ETH-USD", 300, T0 + 2_000);
            book.tick("BTC-USD", 9_700, T0 + 3_000);
            assertThat(book.account().deRisk()).isEqualTo(DeRiskState.HARD_DERISK);

            List<ExitDecision> reductions = book.driver.createOutputStream("exits", ExitDecision.class).readValuesToList()
                    .stream().filter(x -> x.reason() == ExitReason.DERISK_REDUCE).toList();
            assertThat(reductions).as("one reduction").hasSize(1);
            ExitDecision decision = reductions.get(0);
            assertThat(decision.quantity()).as("the decision carries the size reduced").isCloseTo(7.139017, within(1e-9));
            assertThat(decision.notionalUsd()).isCloseTo(7.139017 * decision.triggerPrice(), within(1e-6));
            assertThat(decision.auditSummary()).isEqualTo("DERISK_REDUCE at " + decision.triggerPrice()
                    + ": reduces 7.139017 units, 69248.46 USD at the trigger price");

            PendingOrder order = book.exitOrder("BTC-USD");
            book.tick("BTC-USD", 9_700, T0 + 4_000, HardDeriskReductionTest.Book.exit(order, 9_700, T0 + 4_000));
            assertThat(book.driver.createOutputStream("closed", PositionClosed.class).readValuesToList())
                    .singleElement().satisfies(c -> assertThat(c.size()).as("the fill closes what the entry names")
                            .isCloseTo(decision.quantity(), within(1e-9)));
        }
    }
}
