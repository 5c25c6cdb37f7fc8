package io.quantumtrader.trader.events;

/**
 * Why the exit brain closes a position; {@code DERISK_REDUCE}: the account is in HARD_DERISK with its gross exposure
 * above the cap (DESIGN §7: reduce to the cap): a position reduced, partially, the largest first
 * ({@link io.quantumtrader.trader.risk.CapReduction}).
 */
public enum ExitReason { STOP_LOSS, TAKE_PROFIT, TIME_EXIT, REGIME_EXIT, VOLATILITY_EXIT, KILL_SWITCH, DERISK_REDUCE }
