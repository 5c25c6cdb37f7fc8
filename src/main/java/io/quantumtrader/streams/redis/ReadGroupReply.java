package io.quantumtrader.streams.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of {@code read-group.lua}: the group's totals of entries found deleted unread, and XREADGROUP's reply passed
 * through Lua: per stream
 * {@code { key, { { id, { field, value, ... } or nil }, ... } }} — as {@link RawStreamEntry}s, whichever way the
 * script ran (Spring's script executor leaves the elements as {@link ByteBuffer}s, Lettuce's byte-array codec as
 * {@code byte[]}s). An entry deleted while pending (nil fields) gets no fields.
 */
final class ReadGroupReply {

    private ReadGroupReply() {
    }

    /**
     * @param reply {@code read-group.lua}'s reply: { deleted-unread totals (two numbers per stream), XREADGROUP's reply
     *              or nil, 1 when it did not read because the consumer held entries after those the reader saw, else 0 }
     * @return the entries, the totals and whether the read was found re-sent ({@link GroupRead#resent})
     */
    static GroupRead read(List<?> reply) {
        List<Long> deleted = new ArrayList<>();
        if (reply != null && !reply.isEmpty() && reply.get(0) instanceof List<?> counts) {
            for (Object n : counts) {
                deleted.add(n instanceof Number number ? number.longValue() : Long.parseLong(new String(bytes(n), StandardCharsets.UTF_8)));
            }
        }
        boolean resent = reply != null && reply.size() > 2 && "1".equals(new String(bytes(reply.get(2)), StandardCharsets.UTF_8));
        return new GroupRead(entries(reply == null || reply.size() < 2 || !(reply.get(1) instanceof List<?> read) ? null : read),
                DeletedUnreadTotals.pairs(deleted), resent);
    }

    /** @param reply XREADGROUP's reply, or null when nothing was read */
    static List<RawStreamEntry> entries(List<?> reply) {
        List<RawStreamEntry> out = new ArrayList<>();
        if (reply == null) {
            return out;
        }
        for (Object s : reply) {
            if (!(s instanceof List<?> stream) || stream.size() < 2) {
                continue;
            }
            byte[] key = bytes(stream.get(0));
            for (Object e : (List<?>) stream.get(1)) {
                List<?> entry = (List<?>) e;
                List<byte[]> fields = new ArrayList<>();
                if (entry.size() > 1 && entry.get(1) instanceof List<?> fv) {
                    for (Object f : fv) {
                        fields.add(f == null ? null : bytes(f));
                    }
                }
                out.add(new RawStreamEntry(key, bytes(entry.get(0)), fields));
            }
        }
        return out;
    }

    /** @return a reply element's bytes: a buffer's or an array's content, anything else (a number) its string form */
    private static byte[] bytes(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof ByteBuffer b) {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            return copy;
        }
        return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
    }
}
