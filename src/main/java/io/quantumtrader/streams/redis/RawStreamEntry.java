package io.quantumtrader.streams.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One entry of an {@code XREADGROUP} reply as Redis sent it: undecoded bytes, so that the reply's decoding on Lettuce's
 * shared I/O thread is only copying them out of the network buffer; strings (and the fields map of a
 * {@link StreamEntry}) are made on the task's thread.
 *
 * @param stream          the stream key the entry was read from (UTF-8)
 * @param id              the entry id {@code <ms>-<seq>} (ASCII)
 * @param fieldsAndValues field, value, field, value, … in the entry's order (UTF-8; a value may be null); empty for an
 *                        entry deleted while pending (Redis returns its id with nil fields)
 */
public record RawStreamEntry(byte[] stream, byte[] id, List<byte[]> fieldsAndValues) {

    /** @return the entry id as a string */
    public String idString() {
        return new String(id, StandardCharsets.US_ASCII);
    }
}
