package io.quantumtrader.streams.runtime;

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
import java.util.List;
import java.util.Set;

/**
 * Trims every stream a topology reads or writes (and their dead-letter streams) by the catalog's retention, with
 * {@link StreamAdmin#trimByRetention} (never past a lagging group). Streams without retention are never trimmed.
 */
final class RetentionTrimmer {

    private static final Logger log = LoggerFactory.getLogger(RetentionTrimmer.class);

    private final StreamAdmin admin;
    private final StreamKeys keys;
    private final StreamCatalog catalog;
    private final Set<String> streams = new LinkedHashSet<>();

    RetentionTrimmer(Topology topology, StreamAdmin admin, StreamKeys keys, StreamCatalog catalog) {
        this.admin = admin;
        this.keys = keys;
        this.catalog = catalog;
        for (Subtopology s : topology.subtopologies()) {
            for (String stream : s.sourceStreams()) {
                streams.add(stream);
                streams.add(StreamKeys.deadLetter(stream));
            }
            streams.addAll(s.sinkStreams());
        }
        streams.add(TaskContext.EVENT_ERROR_STREAM);
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
        record Partition(String key, Duration retention) {
        }
        List<Partition> partitions = new ArrayList<>();
        for (String stream : streams) {
            StreamSpec spec = catalog.spec(stream);
            if (spec.retention() != null) {
                for (int p = 0; p < spec.partitions(); p++) {
                    partitions.add(new Partition(keys.stream(spec.name(), p), spec.retention()));
                }
            }
        }
        return ResilientPass.over("trim by retention", "stream partitions", partitions, Partition::key,
                        p -> admin.trimByRetention(p.key(), p.retention()))
                .doOnNext(n -> {
                    if (n > 0) {
                        log.debug("retention trimmed {} entries", n);
                    }
                });
    }
}
