package io.quantumtrader.trader.risk;

/**
 * The account's de-risk state (DESIGN §7): what new risk the risk kernel may take.
 * <ul>
 *   <li>{@code NORMAL}: entries at full size, adds to an open position in the same direction allowed;</li>
 *   <li>{@code SOFT_DERISK}: new entries at half size, no adds;</li>
 *   <li>{@code HARD_DERISK}: no new entries and no adds.</li>
 * </ul>
 */
public enum DeRiskState { NORMAL, SOFT_DERISK, HARD_DERISK }
