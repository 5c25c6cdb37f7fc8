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
}
