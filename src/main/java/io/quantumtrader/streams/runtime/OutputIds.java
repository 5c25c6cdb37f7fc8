package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.Record;

import java.util.HashMap;
import java.util.Map;

/**
 * Deterministic event ids of one batch's outputs: the n-th record a sink writes for an input entry gets
 * {@code nameUUID(application, <stream>/<partition>/<entry id>, sink, n)}, so re-processing the batch after a crash
 * derives the same ids (and idempotency keys). Records that lost their origin (punctuations) are numbered within the
 * batch instead. Shared by the Redis runtime and the test driver.
 */
public final class OutputIds {

    private final String applicationId;
    private final Map<Slot, Integer> index = new HashMap<>();
    private String batchId;

    /** What the outputs are numbered within: an input entry (or, without origin, the batch) and the sink writing them. */
    private record Slot(String stream, int partition, String entryId, String sinkNode) {
    }

    public OutputIds(String applicationId) {
        this.applicationId = applicationId;
    }

    /** Starts a batch. @param batchId identifies the batch when a record has no origin */
    public void begin(String batchId) {
        this.batchId = batchId;
        index.clear();
    }

    /** @return {@code <stream>/<partition>/<entry id>} of the record's input entry, or the batch id without origin */
    public String originId(Record<?, ?> record) {
        Record.Origin o = record.origin();
        return o == null ? batchId : o.stream() + "/" + o.partition() + "/" + o.entryId();
    }

    /**
     * @return the event id of the next record {@code sinkNode} writes for {@code record}'s input entry: the UUID of
     *         {@code <application>/<origin id>/<sink>/<n>}, the origin id's parts passed as they are (same bytes, no
     *         string built per record)
     */
    public String next(Record<?, ?> record, String sinkNode) {
        Record.Origin o = record.origin();
        if (o == null) {
            int n = index.merge(new Slot(null, -1, batchId, sinkNode), 1, Integer::sum);
            return EnvelopeCodec.deterministicId(applicationId, batchId, sinkNode, Integer.toString(n));
        }
        int n = index.merge(new Slot(o.stream(), o.partition(), o.entryId(), sinkNode), 1, Integer::sum);
        return EnvelopeCodec.deterministicId(applicationId, o.stream(), Integer.toString(o.partition()), o.entryId(),
                sinkNode, Integer.toString(n));
    }
}
