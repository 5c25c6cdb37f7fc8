package io.quantumtrader.trader.events;

/** {@code exit.decision.made} (key: symbol): the exit brain decided to close a position at the next tick. */
public record ExitDecision(String positionId, String symbol, ExitReason reason, double triggerPrice, long decidedAt) {
}
