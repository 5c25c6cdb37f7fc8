package io.quantumtrader.trader.events;

/** Why the exit brain closes a position. */
public enum ExitReason { STOP_LOSS, TAKE_PROFIT, TIME_EXIT, REGIME_EXIT, VOLATILITY_EXIT, KILL_SWITCH }
