package io.quantumtrader.app;

import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a replay into a namespace that already holds some of its ticks resumes (a replay that crashed and is run
 * again with the same {@code --namespace}). Ticks have deterministic event ids ({@link ReplayInput#eventId}) and are
 * published in order per partition, so the last entry of each partition of the ticks stream tells how far that
 * partition got: the replay publishes, in order, every tick its partition does not hold, and none that it does.
 * Until 2026-12-06 it resumed at the first tick missing from any partition and sent the later ticks of the other
 * partitions again, for the engine's event-id dedupe to skip: a replay resumed after the dedupe window (1 h) processed
 * them twice.
 *
 * <p>The last entry tells how far a partition got only when the input is the one the namespace was replayed with: a
 * file added on the resume whose ticks fall before the partition's last one would never be published (a review of
 * 2026-12-07 saw 1,993 of 2,000 added ticks left out, the report saying all were published). So each partition's
 * entries ever added ({@code XINFO STREAM} {@code entries-added}, which retention's trimming does not lower) must be at
 * least the input's ticks up to that last one; otherwise the resume is refused, naming the namespace.
 */
public final class ReplayResume {

    /** A tick as published: its event id and record key. */
    public record Published(String eventId, String key) {
    }

    private ReplayResume() {
    }

    /**
     * What a namespace holds of a replay's ticks.
     *
     * @param from       index of the first tick not in the namespace ({@code ticks.size()} when all are)
     * @param found      how many of the ticks the namespace holds
     * @param last       per partition of the ticks stream, the index of the last tick it holds (-1: none)
     * @param partitions the ticks stream's partition count
     */
    public record Resume(int from, int found, int[] last, int partitions) {

        /** @return whether the tick at {@code index} of the replay, keyed {@code key}, is in its partition already */
        public boolean published(int index, String key) {
            return index <= last[Partitioner.partition(key, partitions)];
        }
    }

    /**
     * @param ticks the replay's ticks in publishing order, asked for only when the stream holds entries (a fresh
     *              namespace costs no event id: each is a name-based UUID, and the 100,000 took ~0.1 s of the replay's
     *              start)
     * @return what the namespace holds: nothing for a fresh namespace (or one holding ticks of another input: then
     *         everything is published, and the engine's dedupe skips what it has seen)
     * @throws CliException (exit code 2) when a partition's last tick is in the input but the partition holds fewer
     *                      ticks than the input has up to it: the input is not the one replayed into the namespace
     */
    public static Resume resume(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog, String stream,
                                Supplier<List<Published>> ticks) {
        int partitions = catalog.spec(stream).partitions();
        int[] last = new int[partitions];
        java.util.Arrays.fill(last, -1);
        Resume none = new Resume(0, 0, last.clone(), partitions);
        String[] lastIds = new String[partitions];
        boolean any = false;
        for (int p = 0; p < partitions; p++) {
            var entries = redis.opsForStream().reverseRange(keys.stream(stream, p), Range.unbounded(), Limit.limit().count(1))
                    .collectList().block();
            if (entries != null && !entries.isEmpty()) {
                lastIds[p] = String.valueOf(io.quantumtrader.streams.redis.StreamEntry.fieldsOf(entries.get(0)).get("id"));
                any = true;
            }
        }
        if (!any) {
            return none;
        }
        List<Published> published = ticks.get();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < published.size(); i++) {
            index.put(published.get(i).eventId(), i);
        }
        for (int p = 0; p < partitions; p++) {
            if (lastIds[p] != null) {
                Integer at = index.get(lastIds[p]);
                if (at == null) {
                    return none;   // ticks of another input: publish everything, the engine skips what it has seen
                }
                last[p] = at;
            }
        }
        int[] upToLast = new int[partitions];
        for (int i = 0; i < published.size(); i++) {
            int p = Partitioner.partition(published.get(i).key(), partitions);
            if (i <= last[p]) {
                upToLast[p]++;
            }
        }
        for (int p = 0; p < partitions; p++) {
            long added = lastIds[p] == null ? 0 : entriesAdded(redis, keys.stream(stream, p));
            // fewer: ticks of this input before the partition's last one were never published, and resuming after the
            // last would leave them out. More is no loss (a batch appended twice after a lost reply, which the engine's
            // dedupe skips; or ticks of a file since removed from the input)
            if (added >= 0 && added < upToLast[p]) {
                throw new CliException(CliException.INPUT, String.format("namespace '%s' holds %,d ticks in partition %d of %s, "
                                + "but this run's input has %,d ticks up to the last of them: the input is not the one the "
                                + "namespace was replayed with (a file added or changed)", keys.namespace(), added, p,
                        stream, upToLast[p]), "replay into a new namespace (--namespace), or resume with the same files", null);
            }
        }
        int from = published.size();
        int found = 0;
        for (int i = 0; i < published.size(); i++) {
            if (i <= last[Partitioner.partition(published.get(i).key(), partitions)]) {
                found++;
            } else if (from == published.size()) {
                from = i;
            }
        }
        return new Resume(from, found, last, partitions);
    }

    private static final org.springframework.data.redis.core.script.RedisScript<Long> ENTRIES_ADDED =
            org.springframework.data.redis.core.script.RedisScript.of("""
                    if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
                    local info = redis.call('XINFO', 'STREAM', KEYS[1])
                    for i = 1, #info, 2 do
                      if info[i] == 'entries-added' then return info[i + 1] end
                    end
                    return -1""", Long.class);

    /**
     * @return the stream's entries ever added (Redis 7's {@code XINFO STREAM}; trimming does not lower it), 0 when
     *         there is no such stream, or -1 when Redis does not tell
     */
    static long entriesAdded(ReactiveStringRedisTemplate redis, String key) {
        Long added = redis.execute(ENTRIES_ADDED, List.of(key)).next().block();
        return added == null ? -1 : added;
    }
}
