package io.quantumtrader.trader.sizing;

import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.TradeRequest;

import java.util.Optional;

/**
 * Turns an APPROVED or MODIFIED evaluation into a trade request: size = allowed risk / |entry − stop|, capped at the
 * allowed size, rounded down to 1e-6 BTC (seed catalog: position sizer). VETOED evaluations give nothing. Plain Java.
 */
public final class PositionSizer {

    /** @return the request, or empty for a vetoed evaluation or a size that rounds to 0 */
    public Optional<TradeRequest> size(RiskEvaluation e, long now) {
        if (e.decision() == RiskEvaluation.Decision.VETOED || e.positionAllowed() == null) {
            return Optional.empty();
        }
        double distance = Math.abs(e.entryPrice() - e.stopLoss());
        // the risk's size rounded down to 1e-6, then the kernel's maxSize, which is rounded already: rounding that
        // again (floor(x * 1e6) / 1e6 of a value already on the grid) lost a step for ~1.5 % of sizes, binary
        // representation making 33.271705 * 1e6 33271704.99… (review 2026-12-07)
        double size = Math.min(Math.floor(e.positionAllowed().maxRiskUsd() / distance * 1e6) / 1e6, e.positionAllowed().maxSize());
        if (!(size > 0)) {
            return Optional.empty();
        }
        return Optional.of(new TradeRequest("req-" + e.signalId(), e.evaluationId(), e.signalId(), e.symbol(),
                e.positionAllowed().direction(), size, e.entryPrice(), e.stopLoss(), e.takeProfit(),
                Math.round(size * distance * 100) / 100.0, now));
    }
}
