package io.quantumtrader.trader.sizing;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.TradeRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PositionSizer}: the size is the allowed risk over the stop distance rounded down to 1e-6, capped at the
 * kernel's maxSize, which is on that grid already and must come out as it is. Found in review (2026-12-07): the min
 * was rounded down again, and floor(x * 1e6) / 1e6 of a value already on the grid lost a step for ~1.5 % of sizes
 * (33.271705 became 33.271704).
 */
class PositionSizerTest {

    private static RiskEvaluation approved(double maxSize, double maxRiskUsd, double entry, double stop) {
        return new RiskEvaluation("ev", "sig", "BTC-USD", RiskEvaluation.Decision.APPROVED, null, List.of(), null,
                new RiskEvaluation.PositionAllowed("BTC-USD", Direction.LONG, maxSize, maxRiskUsd), entry, stop, entry * 1.1, 0);
    }

    @Test
    void theKernelsMaxSizeComesOutAsItIs() {
        TradeRequest r = new PositionSizer().size(approved(33.271705, 1_000_000, 10_000, 9_000), 0).orElseThrow();
        assertThat(r.size()).isEqualTo(33.271705);
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            double maxSize = Math.floor(random.nextDouble() * 100 * 1e6) / 1e6;   // on the grid, as the kernel gives it
            if (maxSize <= 0) {
                continue;
            }
            TradeRequest capped = new PositionSizer().size(approved(maxSize, 1e12, 10_000, 9_000), 0).orElseThrow();
            assertThat(capped.size()).as("maxSize %s", maxSize).isEqualTo(maxSize);
        }
    }

    @Test
    void theRisksSizeIsRoundedDown() {
        // 1,000 USD over a 300 USD distance: 3.3333333… → 3.333333
        assertThat(new PositionSizer().size(approved(100, 1_000, 10_000, 9_700), 0).orElseThrow().size()).isEqualTo(3.333333);
    }
}
