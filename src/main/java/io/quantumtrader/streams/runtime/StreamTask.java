package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.CommitBatch;
import io.quantumtrader.streams.redis.CommitScript;
import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.TaskFencedException;
import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.topology.RetryBackoff;
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
import java.util.LinkedHashMap;
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
        SubtopologyExecutor executor = new SubtopologyExecutor(subtopology, partition);
        PartitionReader r = new PartitionReader(redis, group, config.instanceId(), streamByKey, partition,
                config.batchSize(), config.idleMin(), config.idleMax());
        reader = r;
        if (stopping) {
            r.stop();
        }
        log.debug("task {} started with token {} on {}", id, token, streamByKey.keySet());
        // one batch in process, at most one read ahead (concatMap prefetch 1): no demand, no read
        return r.receiveBatches()
                .concatMap(batch -> Mono.defer(() -> {
                            if (log.isTraceEnabled()) {
                                log.trace("task {} batch of {}: {} .. {}", id, batch.size(), batch.get(0).id(),
                                        batch.get(batch.size() - 1).id());
                            }
                            CommitBatch commit = new CommitBatch();
                            context.begin(commit, batch.get(0).id());
                            batch.forEach(e -> commit.ack(e.key(), e.id()));
                            return executor.process(batch, context);
                        })
                        .subscribeOn(Schedulers.parallel())
                        .then(Mono.defer(() -> config.beforeCommit().beforeCommit(id, batch.size())))
                        .then(Mono.defer(() -> commit(context, token, batch.size()))), 1)
                .then()
                .doFinally(signal -> executor.close());
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
