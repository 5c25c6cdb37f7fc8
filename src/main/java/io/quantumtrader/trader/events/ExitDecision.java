package io.quantumtrader.trader.events;

/**
 * {@code exit.decision.made} (key: symbol): the exit brain decided to close a position, or part of it, at the next tick.
 *
 * @param triggerPrice the price of the tick that decided, USD
 * @param decidedAt    event time, epoch ms
 * @param quantity     how much of the position the exit order closes, in the instrument's units (BTC for BTC-USD):
 *                     the whole position, or a HARD_DERISK reduction's share ({@code DERISK_REDUCE})
 * @param notionalUsd  {@code quantity} × {@code triggerPrice}, USD: what the exit closes at the price that decided it
 *                     (the fill, a tick later, may differ)
 * <p>{@code quantity} and {@code notionalUsd} are boxed: a decision written before 2026-12-06 has neither and reads
 * them as 0 (unknown), where a missing primitive failed to decode ({@code FAIL_ON_NULL_FOR_PRIMITIVES}; found in review).
 */
public record ExitDecision(String positionId, String symbol, ExitReason reason, double triggerPrice, long decidedAt,
                           Double quantity, Double notionalUsd) {

    public ExitDecision {
        quantity = quantity == null ? 0.0 : quantity;
        notionalUsd = notionalUsd == null ? 0.0 : notionalUsd;
    }

    /** A decision to close {@code quantity} units at {@code triggerPrice}; the notional is their product (USD). */
    public ExitDecision(String positionId, String symbol, ExitReason reason, double triggerPrice, long decidedAt, double quantity) {
        this(positionId, symbol, reason, triggerPrice, decidedAt, quantity, quantity * triggerPrice);
    }

    /**
     * @return the decision in words for {@code audit.decision.log}: the reason and trigger price, and for a HARD_DERISK
     *         reduction the quantity reduced (units) and its notional (USD at the trigger price)
     */
    public String auditSummary() {
        String summary = reason + " at " + triggerPrice;
        return reason == ExitReason.DERISK_REDUCE
                ? summary + String.format(java.util.Locale.ROOT, ": reduces %s units, %.2f USD at the trigger price",
                        java.math.BigDecimal.valueOf(quantity).stripTrailingZeros().toPlainString(), notionalUsd)
                : summary;
    }
}
