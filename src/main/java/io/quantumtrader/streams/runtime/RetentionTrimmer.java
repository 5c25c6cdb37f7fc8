package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.metrics.StreamsMetrics;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trims every stream a topology reads or writes, their dead-letter streams (a source's {@code <stream>.dlq} and a
 * node's {@code <application-id>.<node>.dlq}, where records without an origin and failed punctuations go) and every
 * stream the catalog names (the heartbeats and alerts the service writes beside the topology) by the catalog's
 * retention, with {@link StreamAdmin#trimByRetention} (never past a lagging group). Streams without retention are never
 * trimmed. A repartition stream (written and read by this topology, {@code <application-id>-<name>-repartition}) is
 * also purged of what its reading sub-topology's group has acknowledged, as Kafka Streams purges repartition topics
 * up to the committed offset ({@link StreamAdmin#purgeAcknowledged}). Found in review (2026-12-07): the heartbeats and
 * the nodes' dead-letter streams were never trimmed, and a repartition stream kept what its reader had processed for
 * the catalog's retention (a second copy of every closed position for 365 days).
 */
final class RetentionTrimmer {

    private static final Logger log = LoggerFactory.getLogger(RetentionTrimmer.class);

    private final StreamAdmin admin;
    private final StreamsMetrics metrics;
    private final StreamKeys keys;
    private final StreamCatalog catalog;
    /** Stream → partitions to trim (the catalog's, or a node dead-letter stream's task partitions). */
    private final Map<String, Integer> streams = new LinkedHashMap<>();
    /** Repartition stream → the consumer group of the sub-topology that reads it. */
    private final Map<String, String> repartitions = new LinkedHashMap<>();

    RetentionTrimmer(Topology topology, StreamAdmin admin, StreamKeys keys, StreamCatalog catalog) {
        this(topology, admin, keys, catalog, null);
    }

    /** @param metrics where what each pass removes is counted ({@link StreamsMetrics#trimmed}); null: nowhere */
    RetentionTrimmer(Topology topology, StreamAdmin admin, StreamKeys keys, StreamCatalog catalog, StreamsMetrics metrics) {
        this.metrics = metrics;
        this.admin = admin;
        this.keys = keys;
        this.catalog = catalog;
        Set<String> written = new LinkedHashSet<>();
        topology.subtopologies().forEach(s -> written.addAll(s.sinkStreams()));
        for (Subtopology s : topology.subtopologies()) {
            for (String stream : s.sourceStreams()) {
                add(stream);
                if (!s.global() && written.contains(stream) && stream.startsWith(topology.applicationId() + "-")
                        && stream.endsWith("-repartition")) {
                    repartitions.put(stream, topology.applicationId() + "." + s.id());
                }
            }
            s.sinkStreams().forEach(this::add);
        }
        DeadLetterStreams.of(topology, catalog).forEach((dlq, partitions) -> streams.merge(dlq, partitions, Math::max));
        add(TaskContext.EVENT_ERROR_STREAM);
        catalog.streams().keySet().forEach(this::add);
    }

    private void add(String stream) {
        streams.merge(stream, catalog.spec(stream).partitions(), Math::max);
    }

    /**
     * One pass over every stream partition, by Redis' clock ({@link StreamAdmin#trimByRetention}). A partition whose
     * trim fails (Redis slow or down for it, a key of another type) does not stop the pass ({@link ResilientPass}):
     * the others are trimmed, then the pass fails naming how many failed and the first, so the job counts and logs it
     * (until 2026-12-06 the first failing partition ended the pass: found in review).
     *
     * @return entries removed; an {@link IllegalStateException} after the pass when a partition could not be trimmed
     */
    Mono<Long> trimOnce() {
        record Partition(String stream, String key, Duration retention, String purgeGroup) {
        }
        List<Partition> partitions = new ArrayList<>();
        streams.forEach((stream, count) -> {
            StreamSpec spec = catalog.spec(stream);
            String group = repartitions.get(stream);
            if (spec.retention() != null || group != null) {
                for (int p = 0; p < count; p++) {
                    partitions.add(new Partition(stream, keys.stream(spec.name(), p), spec.retention(), group));
                }
            }
        });
        return ResilientPass.over("trim by retention", "stream partitions", partitions, Partition::key,
                        p -> {
                            Mono<Long> purged = p.purgeGroup() == null ? Mono.just(0L)
                                    : admin.purgeAcknowledged(p.key(), p.purgeGroup()).doOnNext(n -> count(p.stream(), "purged", n));
                            return p.retention() == null ? purged
                                    : purged.flatMap(n -> admin.trimByRetention(p.key(), p.retention())
                                            .doOnNext(m -> count(p.stream(), "retention", m)).map(m -> n + m));
                        })
                .doOnNext(n -> {
                    if (n > 0) {
                        log.debug("retention trimmed {} entries", n);
                    }
                });
    }

    private void count(String stream, String reason, long n) {
        if (metrics != null) {
            metrics.trimmed(stream, reason, n);   // 0 too: the series is there before the first removal (rate())
        }
    }

    /** @return the streams this trimmer visits, each with its partitions (for tests and diagnostics) */
    Map<String, Integer> streams() {
        return Map.copyOf(streams);
    }

    /** @return the repartition streams it purges of acknowledged entries, each with its reading group */
    Map<String, String> repartitions() {
        return Map.copyOf(repartitions);
    }
}
