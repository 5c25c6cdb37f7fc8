package io.quantumtrader.trader.risk;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** HARD_DERISK's reduction to the gross exposure cap ({@link CapReduction}): partial, largest position first. */
class CapReductionTest {

    static final Map<String, Double> BOOK = Map.of("BTC", 60_000.0, "ETH", 50_000.0, "SOL", 20_000.0);

    @Test
    void theExcessIsTakenFromTheLargestPositionFirstAndOnlyAsMuchAsNeeded() {
        // 130,000 open against a cap of 100,000 (equity fell): 30,000 too much, all of it from BTC, the largest
        assertThat(CapReduction.closeUsd(30_000, BOOK, "BTC")).isEqualTo(30_000);
        assertThat(CapReduction.closeUsd(30_000, BOOK, "ETH")).isZero();
        assertThat(CapReduction.closeUsd(30_000, BOOK, "SOL")).isZero();
    }

    @Test
    void anExcessLargerThanTheLargestPositionClosesItAndReducesTheNext() {
        assertThat(CapReduction.closeUsd(75_000, BOOK, "BTC")).isEqualTo(60_000);
        assertThat(CapReduction.closeUsd(75_000, BOOK, "ETH")).isEqualTo(15_000);
        assertThat(CapReduction.closeUsd(75_000, BOOK, "SOL")).isZero();
    }

    @Test
    void nothingIsReducedAtOrUnderTheCapAndTiesGoBySymbol() {
        assertThat(CapReduction.closeUsd(0, BOOK, "BTC")).isZero();
        assertThat(CapReduction.closeUsd(-5_000, BOOK, "BTC")).isZero();
        Map<String, Double> tie = Map.of("B", 10_000.0, "A", 10_000.0);
        assertThat(CapReduction.closeUsd(4_000, tie, "A")).isEqualTo(4_000);
        assertThat(CapReduction.closeUsd(4_000, tie, "B")).isZero();
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
