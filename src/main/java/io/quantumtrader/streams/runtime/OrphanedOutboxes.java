package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.redis.OutboxForwarder;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Forwards, at a start, what the outboxes of sub-topologies this release no longer has still hold: outputs a removed
 * sub-topology committed (its inputs acknowledged) that its last instance had not forwarded (it crashed, or its last
 * forward failed). Each outbox entry names its target stream, so no topology is needed, and forwarding them again is
 * harmless (the targets' forwarded marks drop repeats), so every instance may do it at its start. Found in review
 * (2026-12-07): nothing forwarded such an outbox, and no warning, alert or meter named it (408 of 480 outputs never
 * reached their stream: {@code RemovedSubtopologyOutboxTest}).
 *
 * <p>Which outboxes: those of this application's sub-topology ids that no task sub-topology of this release has, from 0
 * to {@link #IDS_BEYOND} past the highest id (a release that removed the last sub-topologies; one that removed others
 * renumbers the rest, which {@link RenumberedSubtopologyCheck} finds), in every partition up to the most any stream of
 * the catalog has: one XLEN each, in its own slot. Nothing per record.
 */
final class OrphanedOutboxes {

    private static final Logger log = LoggerFactory.getLogger(OrphanedOutboxes.class);

    /** Sub-topology ids looked at past the highest of this release. */
    static final int IDS_BEYOND = 16;

    private OrphanedOutboxes() {
    }

    /**
     * @param xlen     the XLEN of one key, as the start retries it (the forwards are not start-up steps: an outbox of any
     *                 length is forwarded whole, each command within the client's command timeout)
     * @param progress counts what is forwarded, as a task's forwards are counted
     * @return the outputs forwarded (appended to their streams) from outboxes no sub-topology of this release has
     */
    static Mono<Long> forward(Topology topology, StreamsConfig config, OutboxForwarder forwarder,
                              java.util.function.Function<String, Mono<Long>> xlen, OutboxForwarder.Progress progress) {
        StreamKeys keys = new StreamKeys(config.namespace());
        Set<Integer> current = new HashSet<>();
        int highest = -1;
        for (Subtopology s : topology.subtopologies()) {
            highest = Math.max(highest, s.id());
        }
        for (Subtopology s : topology.taskSubtopologies()) {
            current.add(s.id());
        }
        int partitions = config.catalog().spec("").partitions();   // the default
        for (StreamSpec spec : config.catalog().streams().values()) {
            partitions = Math.max(partitions, spec.partitions());
        }
        List<String> candidates = new ArrayList<>();
        for (int id = 0; id <= highest + IDS_BEYOND; id++) {
            if (!current.contains(id)) {
                for (int p = 0; p < partitions; p++) {
                    candidates.add(keys.outbox(StreamKeys.group(topology.applicationId(), id), p));
                }
            }
        }
        return Flux.fromIterable(candidates)
                .flatMap(key -> xlen.apply(key).filter(n -> n > 0).map(n -> key), 16)
                .concatMap(key -> forwarder.forward(key, progress).doOnNext(f -> log.warn("forwarded {} outputs left in "
                        + "outbox {} of a sub-topology this release does not have ({} of its entries had been appended "
                        + "before); the outbox is empty now", f.appended(), key, f.repeats())).map(OutboxForwarder.Forwarded::appended)
                        // a forward that fails does not fail the start: what it did is counted, the next start goes on
                        .onErrorResume(e -> {
                            log.warn("could not forward what outbox {} of a sub-topology this release does not have still "
                                    + "holds ({}); the next start tries again", key, CauseMessages.of(e));
                            return Mono.just(0L);
                        }))
                .reduce(0L, Long::sum);
    }
}
