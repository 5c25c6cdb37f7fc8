package io.quantumtrader.streams.dsl;

/**
 * When a windowed aggregation emits (Kafka Streams {@code EmitStrategy}, KIP-825): on every update (default), or once
 * per window with its final result when the window closes (stream time reached window end + grace).
 */
public enum EmitStrategy {
    ON_WINDOW_UPDATE, ON_WINDOW_CLOSE;

    /** @return emit the final result once, when the window closes */
    public static EmitStrategy onWindowClose() {
        return ON_WINDOW_CLOSE;
    }

    /** @return emit every update (the default) */
    public static EmitStrategy onWindowUpdate() {
        return ON_WINDOW_UPDATE;
    }
}
