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
}
