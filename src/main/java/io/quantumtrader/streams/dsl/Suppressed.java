package io.quantumtrader.streams.dsl;

/**
 * Holds back a windowed table's updates until the window closes, as Kafka Streams'
 * {@code Suppressed.untilWindowCloses(unbounded())}: the same as {@link EmitStrategy#onWindowClose()} on the aggregation.
 */
public final class Suppressed {
    private Suppressed() {
    }

    /** @return emit each window's final result once, when stream time reaches window end + grace */
    public static Suppressed untilWindowCloses() {
        return new Suppressed();
    }
}
