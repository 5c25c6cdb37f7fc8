package io.quantumtrader.trader.risk;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A percentage as a reason prints it (a limit of the risk rules, or the daily loss or drawdown compared with one): up to
 * {@value #DIGITS} significant digits, half up, trailing zeros stripped, never in exponent form, whatever the locale
 * ({@code 0.45}, {@code 5}, {@code 62.5}, {@code 0.4541}). The limits and the figures compared with them print alike,
 * and rounding to significant digits never reverses an order, so a figure at or above its limit never prints below it
 * (found in review, 2026-12-06: limits printed to 0.1 % made a 0.45 % limit read "0.50% of marked equity >= 0.5%
 * limit", and a loss of 0.4541 % "0.45% reached the 0.5% limit"). Plain Java.
 */
public final class PercentFigure {

    /** Significant digits kept: a limit of the risk rules has fewer (0.45, 62.5, 130). */
    static final int DIGITS = 4;
    private static final MathContext ROUNDING = new MathContext(DIGITS, RoundingMode.HALF_UP);

    private PercentFigure() {
    }

    /**
     * @param pct a percentage, percent (0.45 for 0.45 %); finite
     * @return it in words, without the percent sign
     */
    public static String of(double pct) {
        return BigDecimal.valueOf(pct).round(ROUNDING).stripTrailingZeros().toPlainString();
    }
}
