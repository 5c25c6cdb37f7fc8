package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.LinkedHashSet;
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

    /** One pass over every stream partition, by Redis' clock ({@link StreamAdmin#trimByRetention}); @return entries removed */
    Mono<Long> trimOnce() {
        return Flux.fromIterable(streams)
                .map(catalog::spec)
                .filter(spec -> spec.retention() != null)
                .concatMap(spec -> Flux.range(0, spec.partitions())
                        .concatMap(p -> admin.trimByRetention(keys.stream(spec.name(), p), spec.retention())))
                .reduce(0L, Long::sum)
                .doOnNext(n -> {
                    if (n > 0) {
                        log.debug("retention trimmed {} entries", n);
                    }
                });
    }
}
