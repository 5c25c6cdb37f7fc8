package io.quantumtrader.trader.market;

import java.util.regex.Pattern;

/**
 * A number field of a market data CSV: a plain decimal number, optionally signed and with an exponent
 * ({@code 800.01}, {@code -4}, {@code .5}, {@code 1.2E-3}), as spreadsheets and exchanges export them.
 * {@link Double#parseDouble} alone took Java's literals as well ({@code 800.01f}, {@code 0.1d}, the hexadecimal
 * {@code 0x1.9p9}, {@code Infinity}, {@code NaN}): a damaged line was read as a trade instead of being reported
 * (review 2026-12-06).
 */
final class DecimalField {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private DecimalField() {
    }

    /** @return whether {@code text} (trimmed) is a plain decimal number */
    static boolean isDecimal(String text) {
        return DECIMAL.matcher(text.trim()).matches();
    }

    /**
     * @param text the field (trimmed here)
     * @param name the column's name, for the reason, e.g. {@code price}
     * @return its value
     * @throws IllegalArgumentException naming the column and the text when it is not a plain decimal number or is
     *                                  beyond a double's range (e.g. {@code 1e400})
     */
    static double parse(String text, String name) {
        String t = text.trim();
        if (!DECIMAL.matcher(t).matches()) {
            throw new IllegalArgumentException(name + " '" + abbreviate(t) + "' is not a decimal number");
        }
        double value = Double.parseDouble(t);
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " '" + abbreviate(t) + "' is beyond the range of a number");
        }
        return value;
    }

    private static String abbreviate(String t) {
        return t.length() <= 40 ? t : t.substring(0, 37) + "...";
    }
}
