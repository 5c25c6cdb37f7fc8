package io.quantumtrader.streams.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The input streams of one reader as its fenced reads name them to Redis: each partition key with its logical stream
 * name, and the task and partition, which the dead-letter entry of entries deleted before the group read them carries
 * ({@code deleted-unread.lib.lua}: the stream key, its {@link StreamKeys#deletedUnread} hash and its
 * {@link StreamKeys#deadLetterOf} stream, all in the partition's slot).
 *
 * @param nameByKey partition key → logical stream name
 * @param task      the reading task's id ({@code <sub-topology>_<partition>}), or empty for a reader without a task
 * @param partition the partition read
 * @param counted   per partition key, the group's deleted-unread totals the reader has counted (its live map, read at
 *                  each read: {@code du_note_counted} notes them in Redis for the task's next run); empty for a reader
 *                  that counts nothing
 */
public record ReadStreams(Map<String, String> nameByKey, String task, int partition, Map<String, DeletedUnreadTotals> counted) {

    /** A reader that counts nothing. */
    public ReadStreams(Map<String, String> nameByKey, String task, int partition) {
        this(nameByKey, task, partition, Map.of());
    }

    /**
     * @param scratchKey the task's scratch hash of its fenced reads ({@link StreamKeys#fencedRead}), where a refused
     *                   report notes the positions its read is undone to
     * @return KEYS of {@code deleted-unread.lua}: the lease, the scratch hash, then as {@link #readGroupKeys}
     */
    byte[][] deletedUnreadKeys(String leaseKey, String scratchKey, List<String> streamKeys) {
        List<String> keys = new ArrayList<>(2 + 3 * streamKeys.size());
        keys.add(leaseKey);
        keys.add(scratchKey);
        return bytes(reportKeys(keys, streamKeys));
    }

    /**
     * @return ARGV of {@code deleted-unread.lua}: the token, the group, the task, the partition, the streams' names, and
     *         the totals counted ({@link #counted}) when the reader counts
     */
    byte[][] deletedUnreadArgs(String token, String group, List<String> streamKeys) {
        List<String> args = new ArrayList<>(4 + streamKeys.size());
        args.add(token);
        args.add(group);
        return bytes(taskAndNames(args, streamKeys));
    }

    /** @return KEYS of {@code read-group.lua}: the lease, the stream keys, their deleted-unread hashes, their dead-letter streams */
    List<String> readGroupKeys(String leaseKey, List<String> streamKeys) {
        List<String> keys = new ArrayList<>(1 + 3 * streamKeys.size());
        keys.add(leaseKey);
        return reportKeys(keys, streamKeys);
    }

    /**
     * @return ARGV of {@code read-group.lua}: the token, the group, the consumer, the COUNT, one offset per stream, the
     *         last id the reader saw per stream ({@code -} when none), then the task, the partition and the streams'
     *         names, and the totals counted ({@link #counted}) when the reader counts
     */
    List<String> readGroupArgs(String token, String group, String consumer, int count, List<String> offsets,
                               List<String> seen, List<String> streamKeys) {
        List<String> args = new ArrayList<>(6 + offsets.size() + seen.size() + streamKeys.size());
        args.add(token);
        args.add(group);
        args.add(consumer);
        args.add(Integer.toString(count));
        args.addAll(offsets);
        args.addAll(seen);
        return taskAndNames(args, streamKeys);
    }

    private static List<String> reportKeys(List<String> keys, List<String> streamKeys) {
        keys.addAll(streamKeys);
        streamKeys.forEach(k -> keys.add(StreamKeys.deletedUnread(k)));
        streamKeys.forEach(k -> keys.add(StreamKeys.deadLetterOf(k)));
        return keys;
    }

    private List<String> taskAndNames(List<String> args, List<String> streamKeys) {
        args.add(task);
        args.add(Integer.toString(partition));
        streamKeys.forEach(k -> args.add(nameByKey.getOrDefault(k, k)));
        if (!counted.isEmpty()) {
            for (String k : streamKeys) {
                DeletedUnreadTotals c = counted.get(k);
                args.add(c == null ? "" : Long.toString(c.entries()));
                args.add(c == null ? "" : Long.toString(c.unknown()));
            }
        }
        return args;
    }

    private static byte[][] bytes(List<String> strings) {
        byte[][] out = new byte[strings.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
