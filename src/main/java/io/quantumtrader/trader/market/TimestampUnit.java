package io.quantumtrader.trader.market;

/**
 * The unit of an epoch timestamp in a trades file, detected from its magnitude: seconds below 10<sup>11</sup> (up to
 * the year 5138), milliseconds below 10<sup>14</sup>, microseconds below 10<sup>17</sup>, nanoseconds above. A
 * millisecond timestamp before 1973-03-03 would be read as seconds; no market data of interest is that old.
 */
public enum TimestampUnit {
    SECONDS("epoch seconds", 1_000, 1),
    MILLISECONDS("epoch milliseconds", 1, 1),
    MICROSECONDS("epoch microseconds", 1, 1_000),
    NANOSECONDS("epoch nanoseconds", 1, 1_000_000);

    private final String label;
    private final long multiply;
    private final long divide;

    TimestampUnit(String label, long multiply, long divide) {
        this.label = label;
        this.multiply = multiply;
        this.divide = divide;
    }

    /** @return the unit a positive epoch timestamp of this magnitude is in */
    public static TimestampUnit detect(long value) {
        long v = Math.abs(value);
        if (v < 100_000_000_000L) {
            return SECONDS;
        }
        if (v < 100_000_000_000_000L) {
            return MILLISECONDS;
        }
        if (v < 100_000_000_000_000_000L) {
            return MICROSECONDS;
        }
        return NANOSECONDS;
    }

    /** @return the timestamp in epoch milliseconds (sub-millisecond digits truncated) */
    public long toMillis(long value) {
        return Math.multiplyExact(value, multiply) / divide;
    }

    /** @return e.g. {@code epoch milliseconds} */
    public String label() {
        return label;
    }
}
