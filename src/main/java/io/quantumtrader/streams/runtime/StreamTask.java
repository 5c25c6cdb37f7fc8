package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.CommitBatch;
import io.quantumtrader.streams.redis.CommitScript;
import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.TaskFencedException;
import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.topology.RetryBackoff;
import io.quantumtrader.streams.topology.Stage;
import io.quantumtrader.streams.topology.Subtopology;
import io.quantumtrader.streams.topology.Topology;
import io.quantumtrader.streams.topology.TopologyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One partition of one sub-topology, run as its own Reactor pipeline (Kafka Streams' {@code StreamTask}):
 * take the lease (new fencing token) → claim the partition's pending entries (XAUTOCLAIM) → load state stores →
 * read batches on demand → run them through the sub-topology's stages → commit outputs, state and acks in one script.
 */
public final class StreamTask {

    private static final Logger log = LoggerFactory.getLogger(StreamTask.class);

    private final String id;
    private final Subtopology subtopology;
    private final int partition;
    private final Topology topology;
    private final StreamsConfig config;
    private final ReactiveStringRedisTemplate redis;
    private final StreamAdmin admin;
    private final CommitScript commitScript;
    private final StreamKeys keys;
    private final RuntimeCounters counters;
    private final String group;
    private final String leaseKey;
    private final String fenceKey;
    private final Map<String, String> streamByKey = new LinkedHashMap<>();
    private final Map<String, TopologyNode> sourceByStream = new HashMap<>();
    private final AtomicLong processed = new AtomicLong();
    private volatile PartitionReader reader;
    private volatile boolean stopping;

    StreamTask(Subtopology subtopology, int partition, Topology topology, StreamsConfig config,
               ReactiveStringRedisTemplate redis, RuntimeCounters counters) {
        this.id = subtopology.id() + "_" + partition;
        this.subtopology = subtopology;
        this.partition = partition;
        this.topology = topology;
        this.config = config;
        this.redis = redis;
        this.admin = new StreamAdmin(redis);
        this.commitScript = new CommitScript(redis);
        this.keys = new StreamKeys(config.namespace());
        this.counters = counters;
        this.group = StreamKeys.group(topology.applicationId(), subtopology.id());
        this.leaseKey = keys.lease(group, partition);
        this.fenceKey = keys.fence(group, partition);
        for (TopologyNode n : subtopology.nodes()) {
            if (n.kind() == TopologyNode.Kind.SOURCE) {
                for (String s : n.streams()) {
                    streamByKey.put(keys.stream(s, partition), s);
                    sourceByStream.put(s, n);
                }
            }
        }
    }

    /** @return Kafka Streams task id {@code <sub-topology>_<partition>} */
    public String id() {
        return id;
    }

    /** @return the consumer group this task reads with */
    public String group() {
        return group;
    }

    /** @return input entries processed in committed batches */
    public long processed() {
        return processed.get();
    }

    /** @return entries read from Redis by the current reader (0 before the task started) */
    public long entriesRead() {
        PartitionReader r = reader;
        return r == null ? 0 : r.entriesRead();
    }

    /** @return downstream demand not yet satisfied by the current reader */
    public long outstandingDemand() {
        PartitionReader r = reader;
        return r == null ? 0 : r.outstandingDemand();
    }

    /** Graceful stop: no further reads; batches in flight are processed and committed, then {@link #run()} completes. */
    void stop() {
        stopping = true;
        PartitionReader r = reader;
        if (r != null) {
            r.stop();
        }
    }

    /** @return completes when the task stopped; errors when it failed (the runtime restarts it) */
    Mono<Void> run() {
        return admin.acquireLease(leaseKey, fenceKey)
                .flatMap(token -> Flux.fromIterable(streamByKey.keySet())
                        .concatMap(key -> admin.claimPending(key, group, config.instanceId(), Duration.ZERO))
                        .reduce(0L, Long::sum)
                        .doOnNext(counters.reclaimed::add)
                        .then(loadStores())
                        .flatMap(stores -> process(token, stores)));
    }

    private Mono<Map<String, CachedKeyValueStore<?, ?>>> loadStores() {
        return Flux.fromIterable(subtopology.stores())
                .concatMap(name -> {
                    StoreSpec<?, ?> spec = topology.store(name);
                    CachedKeyValueStore<?, ?> store = new CachedKeyValueStore<>(spec,
                            keys.store(topology.applicationId(), name, partition));
                    return redis.opsForHash().entries(store.hashKey())
                            .collectMap(e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue()))
                            .map(hash -> {
                                store.load(hash);
                                return store;
                            });
                })
                .collectMap(CachedKeyValueStore::name, s -> (CachedKeyValueStore<?, ?>) s)
                .map(LinkedHashMap::new);
    }

    private Mono<Void> process(String token, Map<String, CachedKeyValueStore<?, ?>> stores) {
        TaskContext context = new TaskContext(id, partition, topology.applicationId(), keys, config.catalog(),
                config.retryBackoff(), stores);
        Map<TopologyNode, Stage> stages = new HashMap<>();
        for (TopologyNode n : subtopology.nodes()) {
            if (n.kind() == TopologyNode.Kind.PROCESSOR) {
                stages.put(n, n.newStage());
            }
        }
        PartitionReader r = new PartitionReader(redis, group, config.instanceId(), streamByKey, partition,
                config.batchSize(), config.idleMin(), config.idleMax());
        reader = r;
        if (stopping) {
            r.stop();
        }
        log.debug("task {} started with token {} on {}", id, token, streamByKey.keySet());
        // one batch in process, at most one read ahead (concatMap prefetch 1): no demand, no read
        return r.receiveBatches()
                .concatMap(batch -> processBatch(batch, context, stages)
                        .subscribeOn(Schedulers.parallel())
                        .then(Mono.defer(() -> config.beforeCommit().beforeCommit(id, batch.size())))
                        .then(Mono.defer(() -> commit(context, token, batch.size()))), 1)
                .then()
                .doFinally(signal -> stages.values().forEach(Stage::close));
    }

    private Mono<Void> processBatch(List<StreamEntry> entries, TaskContext context, Map<TopologyNode, Stage> stages) {
        return Mono.defer(() -> {
            if (log.isTraceEnabled()) {
                log.trace("task {} batch of {}: {} .. {}", id, entries.size(), entries.get(0).id(), entries.get(entries.size() - 1).id());
            }
            CommitBatch batch = new CommitBatch();
            context.begin(batch, entries.get(0).id());
            Map<TopologyNode, List<Record<Object, Object>>> outputs = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                StreamEntry e = entries.get(i);
                batch.ack(e.key(), e.id());
                TopologyNode source = sourceByStream.get(e.stream());
                Record.Origin origin = new Record.Origin(e.stream(), partition, e.id(), e.fields(), i);
                try {
                    Envelope env = Envelope.fromFields(e.fields());
                    Object value = source.valueSerde().deserialize(env.data());
                    outputs.computeIfAbsent(source, k -> new ArrayList<>())
                            .add(new Record<>(env.subject(), value, env.time().toEpochMilli(), env.traceId(), origin));
                } catch (RuntimeException ex) {
                    context.deadLetter(new Record<>(null, null, 0L, e.fields().get("traceid"), origin),
                            source.name(), ex, 1);
                }
            }
            return Flux.fromIterable(subtopology.nodes())
                    .filter(n -> n.kind() != TopologyNode.Kind.SOURCE)
                    .concatMap(n -> {
                        List<Record<Object, Object>> input = inputOf(n, outputs);
                        if (input.isEmpty()) {
                            return Mono.empty();
                        }
                        if (n.kind() == TopologyNode.Kind.SINK) {
                            sink(n, input, context);
                            return Mono.empty();
                        }
                        return stages.get(n).apply(Flux.fromIterable(input), context)
                                .collectList()
                                .doOnNext(out -> outputs.put(n, out));
                    })
                    .then();
        });
    }

    private static List<Record<Object, Object>> inputOf(TopologyNode node, Map<TopologyNode, List<Record<Object, Object>>> outputs) {
        if (node.parents().size() == 1) {
            return outputs.getOrDefault(node.parents().get(0), List.of());
        }
        List<Record<Object, Object>> merged = new ArrayList<>();
        for (TopologyNode p : node.parents()) {
            merged.addAll(outputs.getOrDefault(p, List.of()));
        }
        // a merge restores input order (stable: records of one input keep their relative order)
        merged.sort(Comparator.comparingInt(r -> r.origin() == null ? Integer.MAX_VALUE : r.origin().sequence()));
        return merged;
    }

    private void sink(TopologyNode sink, List<Record<Object, Object>> records, TaskContext context) {
        String stream = sink.streams().get(0);
        for (Record<Object, Object> r : records) {
            try {
                context.emit(sink.name(), stream, sink.keySerializer().apply(r.key()), r);
            } catch (RuntimeException e) {
                context.deadLetter(r, sink.name(), e, 1);
            }
        }
    }

    private Mono<Void> commit(TaskContext context, String token, int entries) {
        CommitBatch batch = context.batch();
        context.stores().values().forEach(s -> s.writeTo(batch));
        return commitScript.commit(batch, leaseKey, token, group)
                .doOnError(e -> {
                    if (!(e instanceof TaskFencedException)) {
                        counters.retries.increment();
                        log.warn("task {}: commit of {} entries failed, retrying: {}", id, entries, e.toString());
                    }
                })
                .retryWhen(RetryBackoff.of(config.retryBackoff(), e -> !(e instanceof TaskFencedException)))
                .doOnNext(acked -> {
                    context.stores().values().forEach(CachedKeyValueStore::committed);
                    processed.addAndGet(entries);
                    counters.recordsIn.add(entries);
                    counters.recordsOut.add(context.outputs());
                    counters.deadLettered.add(context.deadLetters());
                    counters.acknowledged.add(acked);
                    counters.commits.increment();
                })
                .doOnError(e -> context.stores().values().forEach(CachedKeyValueStore::rollback))
                .then();
    }
}
