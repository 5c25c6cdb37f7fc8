package io.quantumtrader.trader.events;

/** Trade direction. */
public enum Direction { LONG, SHORT }
