package io.quantumtrader.trader.events;

/** Market regime classes of the regime detector (seed event catalog). */
public enum Regime { TRENDING, RANGING, CHAOTIC }
