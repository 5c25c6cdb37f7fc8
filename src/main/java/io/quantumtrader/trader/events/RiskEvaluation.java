package io.quantumtrader.trader.events;

import java.util.List;

/**
 * {@code risk.evaluation.complete}: the risk kernel's decision on a signal (key: symbol; seed event flow fields).
 *
 * @param decision        APPROVED, VETOED or MODIFIED (approved with a smaller size)
 * @param vetoReason      why it was vetoed, {@code null} otherwise
 * @param modifications   what was changed for MODIFIED (empty otherwise)
 * @param riskDimensions  the four checks
 * @param positionAllowed what the sizer may open ({@code null} when vetoed)
 * @param evaluatedAt     event time, epoch ms
 */
public record RiskEvaluation(String evaluationId, String signalId, String symbol, Decision decision, String vetoReason,
                             List<String> modifications, RiskDimensions riskDimensions, PositionAllowed positionAllowed,
                             double entryPrice, double stopLoss, double takeProfit, long evaluatedAt) {

    /** The risk kernel's verdicts. */
    public enum Decision { APPROVED, VETOED, MODIFIED }

    /** The four risk dimensions of the seed event flow. */
    public record RiskDimensions(boolean tradeRiskPassed, boolean dailyRiskPassed, boolean drawdownPassed,
                                 boolean systemIntegrityPassed) {
        /** @return true when every dimension passed */
        public boolean allPassed() {
            return tradeRiskPassed && dailyRiskPassed && drawdownPassed && systemIntegrityPassed;
        }
    }

    /**
     * @param maxSize    base-currency quantity (BTC) the position may have at most
     * @param maxRiskUsd loss at the stop the position may risk at most, including the fees and slippage of its entry and
     *                   of its exit at the stop, USD
     */
    public record PositionAllowed(String symbol, Direction direction, double maxSize, double maxRiskUsd) {
    }
}
