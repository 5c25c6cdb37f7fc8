package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.Record;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic event ids of one batch's outputs. The n-th record a sink writes for an input entry of the batch gets
 * {@code nameUUID(application, <stream>/<partition>/<entry id>, sink, n)}, so re-processing the batch after a crash
 * derives the same ids (and idempotency keys). Every other output — a record without origin (a punctuation's), or one
 * whose origin is an entry of an earlier batch (a record a processor kept and forwards later) — is numbered within the
 * batch instead: {@code nameUUID(application, <batch id>, sink, n, <content>)}, the batch id naming the task and the
 * commit's sequence, so no two batches of a task share one, and the content ({@link EnvelopeCodec#content}: event
 * time, key, value) telling apart two outputs that a sequence used twice gave one number. A sequence is used twice
 * only when Redis lost commits (a failover without {@code WAIT}): the commits' outputs already forwarded to another
 * master were consumed there, and the re-processing's batch of the same sequence may write other outputs (a
 * punctuation closing another window); with the number alone they got the consumed outputs' ids and the consuming
 * task skipped them as duplicates, a loss (found in review, 2026-12-06); with the content they are new events, and an
 * output that is the same event again keeps its id. (Until 2026-12-05 a kept record forwarded in a later batch was
 * numbered per origin again from 1 and took the id of the origin's first output, and batches without origin were named
 * by their first entry id, which two input streams can share: the downstream task dropped the second event as a
 * duplicate of the first, found by an audit.) Shared by the Redis runtime and the test driver.
 */
public final class OutputIds {

    private final String applicationId;
    private final Map<Slot, Integer> index = new HashMap<>();
    private String batchId;
    /** The batch's origins by {@link Record.Origin#sequence()} ({@link #batchOrigins}); empty for a punctuation. */
    private List<Record.Origin> batchOrigins = List.of();

    /** What the outputs are numbered within: an input entry (or, without origin, the batch) and the sink writing them. */
    private record Slot(String stream, int partition, String entryId, String sinkNode) {
    }

    public OutputIds(String applicationId) {
        this.applicationId = applicationId;
    }

    /**
     * Starts a batch.
     *
     * @param batchId unique among the task's batches that write anything, e.g. {@code batch/<task>/<commit seq>};
     *                numbers the outputs that are not of an input entry of the batch
     */
    public void begin(String batchId) {
        this.batchId = batchId;
        this.batchOrigins = List.of();
        index.clear();
    }

    /** @param origins the origins of the batch's input entries, by {@link Record.Origin#sequence()} */
    public void batchOrigins(List<Record.Origin> origins) {
        this.batchOrigins = origins;
    }

    /** @return {@code <stream>/<partition>/<entry id>} of the record's input entry, or the batch id without origin */
    public String originId(Record<?, ?> record) {
        Record.Origin o = record.origin();
        return o == null ? batchId : o.stream() + "/" + o.partition() + "/" + o.entryId();
    }

    /**
     * @return the event id of the next record {@code sinkNode} writes for {@code record}'s input entry (a record whose key
     *         is its subject, as {@code String} keys are): the UUID of
     *         {@code <application>/<origin id>/<sink>/<n>}, the origin id's parts passed as they are (same bytes, no
     *         string built per record); for a record not of an input entry of this batch, of
     *         {@code <application>/<batch id>/<sink>/<n>/<content>} ({@link EnvelopeCodec#content})
     * @throws io.quantumtrader.streams.record.SerializationException when such a record's value cannot be encoded
     *         (as writing it would)
     */
    public String next(Record<?, ?> record, String sinkNode) {
        return next(record, sinkNode, record.key() == null ? null : record.key().toString());
    }

    /**
     * {@link #next(Record, String)} with the record's subject as the sink writes it (its key serializer's text), which
     * an output without an input entry of this batch is told apart by ({@link EnvelopeCodec#content}): the key's
     * {@code toString()} need not be the same in another JVM
     *
     * @param subject the record's subject, or {@code null}
     */
    public String next(Record<?, ?> record, String sinkNode, String subject) {
        Record.Origin o = record.origin();
        if (o == null || !ofThisBatch(o)) {
            int n = index.merge(new Slot(null, -1, batchId, sinkNode), 1, Integer::sum);
            return EnvelopeCodec.deterministicId(applicationId, batchId, sinkNode, Integer.toString(n),
                    EnvelopeCodec.content(subject, record.value(), record.timestamp()));
        }
        int n = index.merge(new Slot(o.stream(), o.partition(), o.entryId(), sinkNode), 1, Integer::sum);
        return EnvelopeCodec.deterministicId(applicationId, o.stream(), Integer.toString(o.partition()), o.entryId(),
                sinkNode, Integer.toString(n));
    }

    /** @return whether {@code o} is the origin object of one of this batch's input entries */
    private boolean ofThisBatch(Record.Origin o) {
        int s = o.sequence();
        return s >= 0 && s < batchOrigins.size() && batchOrigins.get(s) == o;
    }
}
