package io.quantumtrader.trader.events;

/**
 * {@code trades.request.new}: an order the position sizer asks execution to place (key: symbol).
 *
 * @param size      base-currency quantity (BTC), &gt; 0
 * @param riskUsd   price move to the stop times size, USD (fees and slippage excluded: the evaluation's
 *                  {@code maxRiskUsd} includes them)
 * @param requestedAt event time, epoch ms
 */
public record TradeRequest(String requestId, String evaluationId, String signalId, String symbol, Direction direction,
                           double size, double entryPrice, double stopLoss, double takeProfit, double riskUsd,
                           long requestedAt) {
    public TradeRequest {
        if (!(size > 0)) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
    }
}
