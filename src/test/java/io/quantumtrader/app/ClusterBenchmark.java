package io.quantumtrader.app;

import io.quantumtrader.streams.cluster.TestCluster;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Map;

/**
 * The bench stages (stateless, stateful, and a re-keying stage whose outputs cross partitions) with 6 partitions on
 * one embedded Redis and on a Redis Cluster of 3 masters + 3 replicas (started here, loopback), and the cost of
 * commit durability {@code WAIT 1} on the cluster. Figures: docs/BENCHMARKS.md "Redis Cluster". Run (after
 * {@code mvn -q -B -o test-compile}):
 *
 * <pre>
 * mvn -q -B -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.quantumtrader.app.ClusterBenchmark [records]
 * </pre>
 */
public final class ClusterBenchmark {

    static final int PARTITIONS = 6;
    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, PARTITIONS, 0, null), Map.of());

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("%,d records, 6 partitions, batch 500, %d rounds (median), %d cores, Java %s%n", records, rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (RedisConnection single = RedisConnection.embedded(); TestCluster cluster = TestCluster.start(3, 1);
             RedisConnection redis = cluster.connect()) {
            Map<String, java.util.List<Double>> rates = new java.util.LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                // the setups take turns within each round, so that the machine's load (shared, 2 cores) hits them alike
                for (Topology topology : new Topology[]{BenchCommand.statelessTopology(), BenchCommand.statefulTopology(), rekeyTopology()}) {
                    rates.computeIfAbsent("single node      " + topology.applicationId(), k -> new java.util.ArrayList<>())
                            .add(run(single.template(), topology, records, CommitOptions.defaults()));
                    rates.computeIfAbsent("cluster          " + topology.applicationId(), k -> new java.util.ArrayList<>())
                            .add(run(redis.template(), topology, records, CommitOptions.defaults()));
                    rates.computeIfAbsent("cluster, WAIT 1  " + topology.applicationId(), k -> new java.util.ArrayList<>())
                            .add(run(redis.template(), topology, records, CommitOptions.defaults().withWait(1, Duration.ofSeconds(2))));
                }
            }
            rates.forEach((what, list) -> {
                java.util.List<Double> sorted = list.stream().sorted().toList();
                System.out.printf("RESULT %-36s median %,8.0f records/s  (runs: %s)%n", what, sorted.get(sorted.size() / 2),
                        String.join(", ", list.stream().map(r -> String.format("%,.0f", r)).toList()));
            });
        }
    }

    private static double run(ReactiveStringRedisTemplate t, Topology topology, int records, CommitOptions options) {
        String ns = "cb" + System.nanoTime();
        new EventPublisher(t, new StreamKeys(ns), CATALOG, "bench").sendAll(Flux.range(0, records).map(i -> {
            String symbol = "S" + (i % 1000);
            return new EventPublisher.Event("ticks", symbol, new PriceTick(symbol, 100 + (i % 100), 1 + (i % 7),
                    1_700_000_000_000L + i), 1_700_000_000_000L + i);
        }), 500).block();
        long start = System.nanoTime();
        try (StreamsRuntime runtime = new StreamsRuntime(topology,
                StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withBatchSize(500), t).withCommitOptions(options)) {
            runtime.start();
            if (!runtime.awaitDrained(Duration.ofMinutes(10))) {
                throw new IllegalStateException("did not drain");
            }
            return runtime.counters().recordsIn() / ((System.nanoTime() - start) / 1e9);
        } finally {
            t.execute(c -> c.serverCommands().flushAll()).blockLast();
        }
    }

    /** Re-keys every tick to one of 100 buckets: most outputs go to another partition (on a cluster: the outbox). */
    static Topology rekeyTopology() {
        TopologyBuilder b = new TopologyBuilder("bench-rekey");
        b.stream("ticks", PriceTick.class)
                .process(() -> new io.quantumtrader.streams.processor.Processor<String, PriceTick, String, Double>() {
                    private io.quantumtrader.streams.processor.ProcessorContext<String, Double> context;

                    @Override
                    public void init(io.quantumtrader.streams.processor.ProcessorContext<String, Double> context) {
                        this.context = context;
                    }

                    @Override
                    public void process(io.quantumtrader.streams.record.Record<String, PriceTick> record) {
                        context.forward(record.with("B" + (long) record.value().price() % 100, record.value().size()));
                    }
                }, Named.as("rekey"))
                .to("buckets");
        return b.build();
    }
}
