package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds source streams still holding entries under the key layout of releases before the namespace joined the hash
 * tag ({@code <ns>:{<p>}:s:<stream>}, now {@code <ns>:{<ns>.<p>}:s:<stream>}; docs/OPERATIONS.md "Redis Cluster and
 * TLS"). The runtime does not read them: without this check their unprocessed entries would be left behind silently.
 */
final class LegacyKeyLayoutCheck {

    private LegacyKeyLayoutCheck() {
    }

    /** @return the old-layout keys of the topology's sources that exist with entries (XLEN > 0), at most a few */
    static Mono<List<String>> find(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis) {
        List<String> keys = new ArrayList<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            for (String stream : s.sourceStreams()) {
                for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                    keys.add(config.namespace() + ":{" + p + "}:s:" + stream);
                }
            }
        }
        return Flux.fromIterable(keys)
                // a key of another type is no old stream; Redis not answering is no answer (the start waits for it)
                .concatMap(k -> redis.opsForStream().size(k).onErrorResume(e -> !StartupRetry.waitingForRedis(e), e -> Mono.just(0L)).filter(n -> n > 0).map(n -> k + " (" + n + " entries)"))
                .take(5)
                .collectList();
    }
}
