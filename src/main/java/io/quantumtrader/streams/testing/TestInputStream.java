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

    /**
     * Pipes an entry as any producer may have written it to Redis (a foreign client, a hostile one): its fields go
     * through the source's ingest checks like an entry read from a stream, so a test can see what is dead-lettered
     * ({@link TopologyTestDriver#deadLetters}) and why. An empty map is what Redis returns for a pending entry deleted
     * since its group read it.
     *
     * @param fields the entry's field names and values, in order (e.g. CloudEvents attributes {@code id}, {@code time},
     *               {@code subject}, {@code data}); fully processed when this returns
     */
    public void pipeEntry(java.util.Map<String, String> fields) {
        driver.pipeEntry(stream, fields);
    }

    /** @param time event time; the record is fully processed when this returns */
    public void pipeInput(String key, V value, Instant time) {
        pipeInput(key, value, time.toEpochMilli());
    }
}
