package io.quantumtrader.streams.redis;

import io.lettuce.core.StreamMessage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reply of {@code read-group.lua} — XREADGROUP's, passed through Lua: per stream
 * {@code { key, { { id, { field, value, ... } or nil }, ... } }} — as Lettuce's stream messages, whichever way the
 * script ran (Spring's script executor leaves the elements as {@link ByteBuffer}s, Lettuce's byte-array codec as
 * {@code byte[]}s). An entry deleted while pending (nil fields) gets an empty body.
 */
final class ReadGroupReply {

    private ReadGroupReply() {
    }

    /** @param reply the script's reply, or null when nothing was read */
    static List<StreamMessage<byte[], byte[]>> messages(List<?> reply) {
        List<StreamMessage<byte[], byte[]>> out = new ArrayList<>();
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
                Map<byte[], byte[]> body = new LinkedHashMap<>();
                if (entry.size() > 1 && entry.get(1) instanceof List<?> fv) {
                    for (int j = 0; j + 1 < fv.size(); j += 2) {
                        Object v = fv.get(j + 1);
                        body.put(bytes(fv.get(j)), v == null ? null : bytes(v));
                    }
                }
                out.add(new StreamMessage<>(key, new String(bytes(entry.get(0)), StandardCharsets.UTF_8), body));
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
