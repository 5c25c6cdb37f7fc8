package io.quantumtrader.trader.risk;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** HARD_DERISK's reduction to the gross exposure cap ({@link CapReduction}): partial, the position that ticks first. */
class CapReductionTest {

    @Test
    void thePositionThatTicksCarriesTheExcessAsFarAsItHoldsAndOnlyAsMuchAsNeeded() {
        // 130,000 open against a cap of 100,000 (equity fell): 30,000 too much
        assertThat(CapReduction.closeUsd(30_000, 60_000)).isEqualTo(30_000);
        assertThat(CapReduction.closeUsd(30_000, 20_000)).as("all of a smaller position, the rest from the next").isEqualTo(20_000);
    }

    @Test
    void nothingIsReducedAtOrUnderTheCap() {
        assertThat(CapReduction.closeUsd(0, 60_000)).isZero();
        assertThat(CapReduction.closeUsd(-5_000, 60_000)).isZero();
    }

    @Test
    void theSizeIsRoundedUpToTheSizeStepAndIsTheWholePositionWhenLittleWouldRemain() {
        // 30,000 USD of a position entered at 800 USD: 37.5 of 75
        assertThat(CapReduction.closeSize(30_000, 800, 75)).isCloseTo(37.5, within(1e-12));
        // 1,000 USD at 3 USD: 333.333333.. rounded up, so the exposure ends at or under the cap
        assertThat(CapReduction.closeSize(1_000, 3, 1_000)).isCloseTo(333.333334, within(1e-9));
        assertThat(CapReduction.closeSize(59_999.9999, 800, 75)).isEqualTo(75);
        assertThat(CapReduction.closeSize(0, 800, 75)).isZero();
    }

    /**
     * The reduction's own realized P&amp;L moves the cap (a percent of realized equity): a losing one closes more than the
     * excess, so that the book is at the cap after its fill, a winning one less; when even the whole position would not
     * do, all of it (found in review, 2026-12-06: sized on the excess alone, each losing reduction was followed by a
     * smaller one on the next tick, down to a millionth of a unit).
     */
    @Test
    void theReductionAllowsForTheLossItRealizes() {
        // 70,000 over a 60 % cap; a unit of entry 10,000 closed loses 324.55: q x (10,000 - 0.6 x 324.55) = 70,000
        double loss = CapReduction.lossPerUnitUsd(true, 10_000, 100, 10, 9_700, 5, 10);
        assertThat(loss).isCloseTo(304.85 + 10 + 9.69515, within(1e-9));
        double usd = CapReduction.closeUsd(70_000, 100_000, 10_000, 60, loss);
        assertThat(usd).isCloseTo(70_000 / (10_000 - 0.6 * loss) * 10_000, within(1e-6)).isGreaterThan(70_000);
        assertThat(CapReduction.closeSize(usd, 10_000, 10)).isCloseTo(7.139016, within(1e-9));
        // a SHORT 3 % in profit: the gain raises the cap, less is closed
        double gain = CapReduction.lossPerUnitUsd(false, 10_000, 100, 10, 9_700, 5, 10);
        assertThat(gain).isNegative();
        assertThat(CapReduction.closeUsd(70_000, 100_000, 10_000, 60, gain)).isLessThan(70_000);
        // a loss so deep that closing a unit lowers the cap more than the gross: the whole position
        assertThat(CapReduction.closeUsd(10_000, 100_000, 10_000, 130, 9_000)).isEqualTo(100_000);
        assertThat(CapReduction.closeUsd(0, 100_000, 10_000, 60, loss)).isZero();
        assertThat(CapReduction.closeUsd(0.009, 100_000, 10_000, 60, loss)).as("under a cent: booked P&L's rounding").isZero();
    }

    /**
     * A pending take profit is counted at its limit, the least it gains (it fills there or better, or not at all); a
     * market exit at the mark less the venue's slippage. Before 2026-12-06 a take profit was counted at its mark, the
     * print that placed it, beyond its limit: LONG 10 at 10,000 (100 USD of entry fee), limit 10,200, mark 10,500.
     */
    @Test
    void aPendingTakeProfitIsCountedAtItsLimitAMarketExitAtTheMark() {
        // at 10,200, no slippage: -200 + 10 (fee share) + 10.2 (exit fee) = -179.8 a unit
        assertThat(CapReduction.pendingExitLossPerUnitUsd(true, 10_000, 100, 10, 10_500, 10_200, 5, 10)).isCloseTo(-179.8, within(1e-9));
        // a market exit at 10,500 less 5 bps: -494.75 + 10 + 10.49475
        assertThat(CapReduction.pendingExitLossPerUnitUsd(true, 10_000, 100, 10, 10_500, 0, 5, 10))
                .isCloseTo(-474.25525, within(1e-9));
    }

    /** A reduction's size is a whole number of steps as a decimal reads it, not off by one binary digit. */
    @Test
    void theSizeIsExactlyAWholeNumberOfSteps() {
        // 34,444.76 steps of 300 USD: 34.44476 (34444760 x 1e-6 was 34.444759999999995)
        assertThat(CapReduction.closeSize(34.44476 * 300 - 1e-7, 300, 100)).isEqualTo(34.44476);
    }

    /**
     * The reduction's fill is estimated at the price the venue books (rounded to 0.0001 USD), and sized with what the
     * rounding of the booked P&amp;L may take off the cap, so that the book ends at or below it (until 2026-12-06 the
     * estimate sold at 1.513243, 1.514 less 5 bps, which the venue books at 1.5132).
     */
    @Test
    void theFillIsEstimatedAtThePriceTheVenueBooksAndTheBookingsRoundingIsAllowedFor() {
        // LONG entered at 1.5475, no entry fee: 1.5475 - 1.5132 + 1.513243 x 10 bps
        assertThat(CapReduction.lossPerUnitUsd(true, 1.5475, 0, 1, 1.514, 5, 10)).isCloseTo(0.0343 + 0.001513243, within(1e-12));
        // half a cent of P&L and half of 0.0001 of fee per fill, 407 % of it off the cap, for 2 fills
        assertThat(CapReduction.bookingRoundingUsd(407, 2)).isCloseTo(4.07 * 0.00505 * 2, within(1e-12));
        assertThat(CapReduction.closeUsd(100, 1, 1e9, 10, 60, 0)).as("sized for the excess and the allowance").isCloseTo(101, within(1e-9));
        assertThat(CapReduction.closeUsd(0.009, 1, 1e9, 10, 60, 0)).as("the excess alone decides whether").isZero();
    }
}
