package io.quantumtrader.streams.testing;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads what a topology wrote to one stream in a {@link TopologyTestDriver}, in order, each record once.
 *
 * @param <V> value type
 */
public final class TestOutputStream<V> {

    private final List<StreamEntry> entries;
    private final JsonSerde<V> serde;
    private int position;

    TestOutputStream(List<StreamEntry> entries, Class<V> valueType) {
        this.entries = entries;
        this.serde = new JsonSerde<>(valueType);
    }

    /** @return true when every record written so far was read */
    public boolean isEmpty() {
        return position >= entries.size();
    }

    /** @throws NoSuchElementException when there is no unread record */
    public TestRecord<V> readRecord() {
        if (isEmpty()) {
            throw new NoSuchElementException("no more records in the output stream");
        }
        StreamEntry entry = entries.get(position++);
        Envelope e = Envelope.fromFields(entry.stream(), entry.fields());
        return new TestRecord<>(e.subject(), serde.deserialize(e.data()), e.time().toEpochMilli(), e.traceId());
    }

    /** @throws NoSuchElementException when there is no unread record */
    public V readValue() {
        return readRecord().value();
    }

    /** @return every unread record */
    public List<TestRecord<V>> readRecordsToList() {
        List<TestRecord<V>> out = new ArrayList<>();
        while (!isEmpty()) {
            out.add(readRecord());
        }
        return out;
    }

    /** @return every unread value */
    public List<V> readValuesToList() {
        return readRecordsToList().stream().map(TestRecord::value).toList();
    }
}
