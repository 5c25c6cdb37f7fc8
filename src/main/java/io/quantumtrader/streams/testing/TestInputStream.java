package io.quantumtrader.streams.testing;

import java.time.Instant;

/**
 * Pipes records into one stream of a {@link TopologyTestDriver}.
 *
 * @param <V> value type
 */
public final class TestInputStream<V> {

    private final TopologyTestDriver driver;
    private final String stream;

    TestInputStream(TopologyTestDriver driver, String stream) {
        this.driver = driver;
        this.stream = stream;
    }

    /** @param timestamp event time, epoch ms; the record is fully processed when this returns */
    public void pipeInput(String key, V value, long timestamp) {
        driver.pipe(stream, key, value, timestamp);
    }

    /** @param time event time; the record is fully processed when this returns */
    public void pipeInput(String key, V value, Instant time) {
        pipeInput(key, value, time.toEpochMilli());
    }
}
