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
 * partition got; the replay resumes at the first tick its partition does not hold. Ticks of other partitions
 * published before the crash and sent again are recognized by the engine's idempotent ingest (event id dedupe) and
 * counted as duplicates, never processed twice.
 */
public final class ReplayResume {

    /** A tick as published: its event id and record key. */
    public record Published(String eventId, String key) {
    }

    private ReplayResume() {
    }

    /**
     * @param ticks the replay's ticks in publishing order, asked for only when the stream holds entries (a fresh
     *              namespace costs no event id: each is a name-based UUID, and the 100,000 took ~0.1 s of the replay's
     *              start)
     * @return index of the first tick to publish: 0 for a fresh namespace (or one holding ticks of another input),
     *         {@code ticks.size()} when every tick is there
     */
    public static int firstUnpublished(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog, String stream,
                                       Supplier<List<Published>> ticks) {
        int partitions = catalog.spec(stream).partitions();
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
            return 0;
        }
        List<Published> published = ticks.get();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < published.size(); i++) {
            index.put(published.get(i).eventId(), i);
        }
        int[] last = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            last[p] = -1;
            if (lastIds[p] != null) {
                Integer at = index.get(lastIds[p]);
                if (at == null) {
                    return 0;   // ticks of another input: publish everything, the engine skips what it has seen
                }
                last[p] = at;
            }
        }
        for (int i = 0; i < published.size(); i++) {
            if (i > last[Partitioner.partition(published.get(i).key(), partitions)]) {
                return i;
            }
        }
        return published.size();
    }
}
