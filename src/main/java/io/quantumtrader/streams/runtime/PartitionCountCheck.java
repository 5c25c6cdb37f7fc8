package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The partition count of every stream a topology reads or writes, as first run in a namespace, kept in the hash
 * {@code <ns>:partition-counts} (stream → count): a later start with another count is refused, because the
 * entries and state of the old partitions would be stranded (partitions beyond the new count are never read again)
 * or split from their keys (a key hashes to another partition than the one holding its state and unread entries).
 * Kafka Streams has the same rule for its input topics (changing their partitions needs an application reset).
 * Found in review, 2026-12-05: nothing noticed a changed count.
 * <p>
 * The streams of global tables count too: each run rebuilds a table from partitions 0..count-1 of its stream
 * ({@link GlobalStoreReplica}), so with fewer partitions the keys in the others were silently missing, and with more
 * a key's older value in a higher partition could override its newer one in a lower partition (until 2026-12-06 only
 * the task sub-topologies' streams were checked; found in review, {@code GlobalTablePartitionCountChangeTest}).
 */
final class PartitionCountCheck {

    static final String HASH = "partition-counts";

    private PartitionCountCheck() {
    }

    /**
     * Records the counts not recorded yet (HSETNX) and compares the others.
     *
     * @return one line per stream whose count differs from the recorded one (empty when none)
     */
    static Mono<List<String>> changed(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            for (String stream : s.sourceStreams()) {
                counts.put(stream, config.catalog().spec(stream).partitions());
            }
            for (String stream : s.sinkStreams()) {
                counts.put(stream, config.catalog().spec(stream).partitions());
            }
        }
        Map<String, String> globalTables = new TreeMap<>();   // stream -> "'a'", or "'a', 'b'" when two read it
        for (GlobalStoreSpec global : topology.globalStores().values()) {
            counts.put(global.stream(), config.catalog().spec(global.stream()).partitions());
            globalTables.merge(global.stream(), "'" + global.name() + "'", (a, b) -> a + ", " + b);
        }
        String key = config.namespace() + ":" + HASH;
        return Flux.fromIterable(counts.entrySet())
                .concatMap(e -> redis.opsForHash().putIfAbsent(key, e.getKey(), Integer.toString(e.getValue()))
                        .then(redis.<String, String>opsForHash().get(key, e.getKey()))
                        .filter(recorded -> !recorded.equals(Integer.toString(e.getValue())))
                        .map(recorded -> "'" + e.getKey() + "' ran with " + recorded + " partitions, the catalog now gives "
                                + e.getValue() + readBy(globalTables.get(e.getKey()))))
                .collect(ArrayList::new, List::add);
    }

    /**
     * @param globalTables the names of the global tables reading a stream, quoted and joined; null for none
     * @return what a changed count does to them, for the refusal ("" for none)
     */
    private static String readBy(String globalTables) {
        if (globalTables == null) {
            return "";
        }
        return " (" + (globalTables.contains(", ") ? "global tables " + globalTables + " read it" : "global table "
                + globalTables + " reads it") + ": with another count a table misses the keys of the partitions beyond"
                + " it, or takes an older value over a newer one)";
    }
}
