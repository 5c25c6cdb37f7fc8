package io.quantumtrader.streams.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Lettuce's output for an {@code XREADGROUP} reply that keeps each entry as the bytes Redis sent
 * ({@link RawStreamEntry}): Lettuce's own {@code StreamReadOutput} builds a {@code LinkedHashMap} per entry keyed by
 * {@code byte[]} (an identity hash per field) and a {@code StreamMessage}, all on the connection's single I/O thread,
 * after which the reader built its own map of strings again (3.6 % and 2.5 % of the JVM's samples in {@code bench}'s
 * measured stateless phase, async-profiler; the replay 5.2 s instead of 5.4–5.5 s: docs/BENCHMARKS.md, 2026-12-04
 * 21:58 section). It reads RESP2 and RESP3 (over RESP2 Lettuce 7.5.2's own output folds a reply's entries into one
 * message: lettuce issue #3800), alone or inside a {@code MULTI} (Lettuce's transaction output forwards each element
 * with its depth less one).
 *
 * <p>How elements are told apart: Lettuce calls {@link #complete(int)} after every element with the number of
 * aggregates still open around it. The first bulk string is a stream key; an entry id is two levels below a key
 * (RESP2: {@code [[key, [[id, [f, v, …]], …]], …]}; RESP3: {@code {key: [[id, [f, v, …]], …]}}), a field or value
 * three. An entry deleted while pending comes back with nil fields ({@code *-1} in RESP2, {@code _} in RESP3): it
 * gets an empty list. A reply of another shape fails the command, naming what was unexpected.
 */
final class ReadGroupOutput extends CommandOutput<byte[], byte[], List<RawStreamEntry>> {

    /** Depth at which a stream key completes; -1 until the first key. */
    private int keyDepth = -1;
    /** A bulk string was set since the last {@link #complete(int)}: that call says what it was. */
    private boolean bulkSet;
    private byte[] bulk;
    private byte[] stream;
    private List<byte[]> fields;

    ReadGroupOutput() {
        super(ByteArrayCodec.INSTANCE, new ArrayList<>());
    }

    @Override
    public void set(ByteBuffer bytes) {
        bulkSet = true;
        if (bytes == null) {
            bulk = null;
            return;
        }
        bulk = new byte[bytes.remaining()];
        bytes.get(bulk);
    }

    @Override
    public void complete(int depth) {
        if (!bulkSet) {
            return;   // an aggregate ended (or a nil array: nothing read, or a deleted entry's fields)
        }
        bulkSet = false;
        byte[] b = bulk;
        bulk = null;
        if (keyDepth < 0) {
            if (b != null) {   // a nil reply (RESP3 '_'): nothing read
                keyDepth = depth;
                stream = b;
            }
        } else if (depth == keyDepth) {
            stream = b;
        } else if (depth == keyDepth + 2) {
            if (b != null) {   // null: a deleted entry's fields in RESP3
                fields = new ArrayList<>(12);
                output.add(new RawStreamEntry(stream, b, fields));
            }
        } else if (depth == keyDepth + 3 && fields != null) {
            fields.add(b);
        } else if (!hasError()) {
            setError("unexpected XREADGROUP reply: a bulk string at depth " + depth + " (stream keys at depth " + keyDepth + ")");
        }
    }
}
