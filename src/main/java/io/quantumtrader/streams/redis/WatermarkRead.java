package io.quantumtrader.streams.redis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One read of an input partition's watermarks ({@code input-watermark.lua}, atomic): the partition's last entry id
 * then, its producers' watermarks ({@link StreamKeys#watermarks}) and their hold marks ({@link StreamKeys#holdMarks}).
 *
 * @param lastEntryId the partition's last entry id when read ({@code 0-0} when it was empty)
 * @param watermarks  producer → watermark as written (epoch ms; {@code Long.MAX_VALUE}: ended)
 * @param holdMarks   producer task → hold mark as written ({@code "0"}: holds nothing; else a heartbeat while it holds)
 */
public record WatermarkRead(String lastEntryId, Map<String, String> watermarks, Map<String, String> holdMarks) {

    /**
     * @param reply the script's reply: {@code [lastEntryId, n, producer, watermark, … (n values), producer, mark, …]}
     * @return the read
     * @throws IllegalArgumentException when the reply does not have that shape (a script of another version)
     */
    static WatermarkRead of(List<String> reply) {
        if (reply.size() < 2) {
            throw new IllegalArgumentException("input-watermark.lua replied " + reply + ", expected [last id, n, ...]");
        }
        int n = Integer.parseInt(reply.get(1));
        if (n < 0 || 2 + n > reply.size()) {
            throw new IllegalArgumentException("input-watermark.lua replied " + reply.size() + " values for " + n + " watermark values");
        }
        return new WatermarkRead(reply.get(0), pairs(reply, 2, 2 + n), pairs(reply, 2 + n, reply.size()));
    }

    private static Map<String, String> pairs(List<String> reply, int from, int to) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = from; i + 1 < to; i += 2) {
            map.put(reply.get(i), reply.get(i + 1));
        }
        return map;
    }
}
