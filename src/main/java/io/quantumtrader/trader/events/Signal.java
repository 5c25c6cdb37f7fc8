package io.quantumtrader.trader.events;

/**
 * {@code signals.advisory.new}: an advisory trade idea (key: symbol). Advisory only: {@code executionPower} is always
 * {@code NONE}; the risk kernel decides.
 *
 * @param signalId       deterministic id ({@code <symbol>-<candleEnd>})
 * @param candleEnd      end of the candle that produced it, epoch ms
 * @param edgeScore      0..100
 * @param entryPrice     reference entry (the candle close), USD
 * @param stopLoss       protective stop, USD
 * @param takeProfit     target, USD
 * @param reasoning      why, in words
 * @param modelVersion   version of the advisory model
 * @param executionPower always {@code NONE}
 * @param regime         the regime it was produced in
 */
public record Signal(String signalId, String symbol, long candleEnd, Direction direction, double edgeScore,
                     double entryPrice, double stopLoss, double takeProfit, String reasoning, String modelVersion,
                     String executionPower, Regime regime) {
    public Signal {
        if (edgeScore < 0 || edgeScore > 100) {
            throw new IllegalArgumentException("edge score must be in 0..100, was " + edgeScore);
        }
        if (!"NONE".equals(executionPower)) {
            throw new IllegalArgumentException("advisory signals carry execution_power NONE, was " + executionPower);
        }
        if (direction == Direction.LONG ? !(stopLoss < entryPrice && takeProfit > entryPrice)
                : !(stopLoss > entryPrice && takeProfit < entryPrice)) {
            throw new IllegalArgumentException(direction + " signal needs stop and target on the right sides of entry "
                    + entryPrice + ": stop " + stopLoss + ", target " + takeProfit);
        }
    }
}
