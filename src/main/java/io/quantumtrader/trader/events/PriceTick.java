package io.quantumtrader.trader.events;

/**
 * {@code market.tick.price}: one trade print of a symbol (stream catalog, DESIGN §6; key: symbol).
 *
 * @param symbol    instrument, e.g. {@code BTC-USD}
 * @param price     trade price in quote currency (USD), &gt; 0
 * @param size      traded quantity in base currency (BTC), &ge; 0 (the Bitstamp data has prints rounded to 0)
 * @param timestamp trade time, epoch milliseconds (also the envelope's event time)
 * @throws IllegalArgumentException when a field is missing or out of range (the entry is dead-lettered): symbol not
 *         of the form {@link #SYMBOL}, price not in (0, {@link #MAX_PRICE_USD}], size not in [0, {@link #MAX_SIZE}]
 */
public record PriceTick(String symbol, double price, double size, long timestamp) {

    /** Well-formed symbols: upper-case letters, digits and {@code . _ : / -}, 1 to 32 characters, e.g. {@code BTC-USD}. */
    public static final java.util.regex.Pattern SYMBOL = java.util.regex.Pattern.compile("[A-Z0-9][A-Z0-9._:/-]{0,31}");
    /**
     * Highest price accepted, quote currency (USD): system property {@code qt.market.max-price-usd}, default 10,000,000
     * (a hostile 1e12 tick would otherwise poison ATR/ADX for the rest of the run).
     */
    public static final double MAX_PRICE_USD = Double.parseDouble(System.getProperty("qt.market.max-price-usd", "1e7"));
    /** Largest traded quantity accepted, base currency: system property {@code qt.market.max-size}, default 1e9. */
    public static final double MAX_SIZE = Double.parseDouble(System.getProperty("qt.market.max-size", "1e9"));

    public PriceTick {
        if (symbol == null || !isSymbol(symbol)) {
            throw new IllegalArgumentException("symbol must be 1-32 characters of A-Z, 0-9, '.', '_', ':', '/', '-', was '"
                    + (symbol == null ? null : symbol.length() > 40 ? symbol.substring(0, 40) + "…" : symbol) + "'");
        }
        if (!(price > 0) || !(price <= MAX_PRICE_USD)) {
            throw new IllegalArgumentException("price must be a positive number up to " + MAX_PRICE_USD + " USD, was " + price);
        }
        if (!(size >= 0) || !(size <= MAX_SIZE)) {
            throw new IllegalArgumentException("size must be a number in [0, " + MAX_SIZE + "], was " + size);
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("timestamp must be positive epoch ms, was " + timestamp);
        }
    }

    /**
     * @return true when {@code symbol} matches {@link #SYMBOL}, checked character by character: the constructor runs
     *         for every tick decoded (three times per tick in the replay), and the regex match was ~2 % of a stage's
     *         CPU in the benchmark's profile (JFR, docs/BENCHMARKS.md 2026-12-03 22:21 section)
     */
    public static boolean isSymbol(String symbol) {
        int n = symbol.length();
        if (n < 1 || n > 32) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = symbol.charAt(i);
            boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '/' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** @return traded value in quote currency (USD): price × size */
    public double notional() {
        return price * size;
    }
}
