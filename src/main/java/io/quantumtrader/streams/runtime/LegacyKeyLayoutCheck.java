package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Finds source streams still holding entries under the key layout of releases before the namespace joined the hash
 * tag ({@code <ns>:{<p>}:s:<stream>}, now {@code <ns>:{<ns>.<p>}:s:<stream>}; docs/OPERATIONS.md "Redis Cluster and
 * TLS"). The runtime does not read them: without this check their unprocessed entries would be left behind silently.
 */
final class LegacyKeyLayoutCheck {

    private LegacyKeyLayoutCheck() {
    }

    /**
     * @param eachKey wraps the XLEN of each key (the start retries each on its own, with its own attempt timeout: found
     *                in review, 2026-12-06, one timeout over all the XLENs, sent one after the other, was never enough
     *                for many partitions over a slow link, and the start failed after its limit)
     * @return the old-layout keys of the topology's sources that exist with entries (XLEN > 0), at most a few; the
     *         XLENs are sent 16 at a time
     */
    static Mono<List<String>> find(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis,
                                   BiFunction<Mono<Long>, String, Mono<Long>> eachKey) {
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
                .flatMapSequential(k -> eachKey.apply(redis.opsForStream().size(k)
                                .onErrorResume(e -> !StartupRetry.waitingForRedis(e), e -> Mono.just(0L)), k)
                        .filter(n -> n > 0).map(n -> k + " (" + n + " entries)"), 16)
                .take(5)
                .collectList();
    }
}
