package io.quantumtrader.trader.risk;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.execution.PendingOrder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): an entry placed in NORMAL that fills in SOFT_DERISK is halved with {@code RiskKernel.round6(size / 2)}, i.e.
 * floor(x * 1e6) / 1e6 of a value already on the 1e-6 grid whenever the order's size is an even number of steps. Binary
 * representation makes 32.30638 * 1e6 = 32306379.999..., so the halved entry loses a size step (~1.5 % of even sizes):
 * the same defect f05d7fad fixed in PositionSizer.
 */
class EntryHalvingStepTest {

    @Test
    void halvingAnEvenSizeOnTheGridKeepsExactlyHalf() {
        RiskRules rules = RiskRules.defaults();
        Account soft = Account.start(rules).onDay(1_700_000_000_000L, false).withDeRisk(DeRiskState.SOFT_DERISK);
        PendingOrder o = new PendingOrder("o", "r", "p", "X", Direction.LONG, OrderFilled.Purpose.ENTRY, 64.61276, 96, 106,
                null, "e", 100, 0, DeRiskState.NORMAL);
        EntryAtFill.Verdict v = EntryAtFill.judge(o, 100.05, soft, false, rules, 5, 10);
        assertThat(v.halved()).isTrue();
        assertThat(v.size()).as("half of 64.612760 is 32.306380").isEqualTo(32.30638);
    }
}
