package io.quantumtrader.streams.scaleout;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Scale-out figures for docs/BENCHMARKS.md (not a test): throughput with 1, 2 and 4 instance processes on an I/O-bound
 * stage (waits ~1 ms per record) and a CPU-bound one, and the time from {@code kill -9} of an instance to the last of
 * its tasks processing again. Run (after {@code mvn -q -B -o test-compile}):
 *
 * <pre>
 * mvn -q -B -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *   -Dscaleout.child.jit=-XX:+TieredCompilation io.quantumtrader.streams.scaleout.ScaleOutBenchmark
 * </pre>
 */
public final class ScaleOutBenchmark {

    static final int PARTITIONS = 8;

    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (RedisConnection redis = RedisConnection.embedded()) {
            System.out.println("| stage | instances | records | seconds | records/s |");
            System.out.println("|---|---|---|---|---|");
            for (String[] stage : new String[][]{{"I/O-bound (waits 1 ms per record)", "io:1000", "16000"},
                    {"CPU-bound (~0.5 ms of computation per record)", "cpu:" + args0(args, 0, "400000"), "16000"}}) {
                for (int n : new int[]{1, 2, 4}) {
                    double[] r = throughput(redis, n, stage[1], Integer.parseInt(stage[2]));
                    System.out.printf("| %s | %d | %d | %.1f | %,.0f |%n", stage[0], n, (long) r[0], r[1], r[0] / r[1]);
                }
            }
            for (long ttl : new long[]{2000, 10000}) {
                System.out.printf("kill -9 with lease TTL %d ms: last moved task processing again after %d ms%n", ttl,
                        failover(redis, Duration.ofMillis(ttl)));
            }
        }
    }

    private static String args0(String[] args, int i, String otherwise) {
        return args.length > i ? args[i] : otherwise;
    }

    /** @return {records, seconds} from publishing to the last output, with the group settled before publishing */
    static double[] throughput(RedisConnection redis, int instances, String work, int records) throws Exception {
        String ns = "b" + UUID.randomUUID().toString().substring(0, 8);
        ReactiveStringRedisTemplate t = redis.template();
        List<InstanceProcess> running = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                running.add(InstanceProcess.start(redis.port(), ns, "i" + i, Duration.ofSeconds(10), 100, work, PARTITIONS));
            }
            waitUntil(() -> owners(t, ns).size() == PARTITIONS && owners(t, ns).values().stream().distinct().count() == instances, 60);
            StreamCatalog catalog = ScaleOutTopology.catalog(PARTITIONS);
            List<EventPublisher.Event> events = ScaleOutTopology.events(64, records / 64);
            long start = System.nanoTime();
            new EventPublisher(t, new StreamKeys(ns), catalog, "bench").sendAll(Flux.fromIterable(events), 500).block();
            waitUntil(() -> outputs(t, ns) >= events.size(), 600);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new double[]{events.size(), seconds};
        } finally {
            running.forEach(p -> p.terminate(Duration.ofSeconds(20)));
            running.forEach(InstanceProcess::close);
        }
    }

    /** @return ms from kill -9 of one of two instances to every task it owned having produced output again */
    static long failover(RedisConnection redis, Duration ttl) throws Exception {
        String ns = "f" + UUID.randomUUID().toString().substring(0, 8);
        ReactiveStringRedisTemplate t = redis.template();
        List<InstanceProcess> running = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                running.add(InstanceProcess.start(redis.port(), ns, "i" + i, ttl, 50, "io:200", PARTITIONS));
            }
            waitUntil(() -> owners(t, ns).size() == PARTITIONS && owners(t, ns).values().stream().distinct().count() == 2, 60);
            StreamCatalog catalog = ScaleOutTopology.catalog(PARTITIONS);
            EventPublisher publisher = new EventPublisher(t, new StreamKeys(ns), catalog, "bench");
            List<EventPublisher.Event> events = ScaleOutTopology.events(64, 2000); // far more than is processed
            Thread feeder = new Thread(() -> {
                for (int i = 0; i < events.size() && !Thread.currentThread().isInterrupted(); i += 256) {
                    publisher.sendAll(Flux.fromIterable(events.subList(i, Math.min(events.size(), i + 256))), 256).block();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            feeder.setDaemon(true);
            feeder.start();
            Thread.sleep(3000);
            List<Integer> victimTasks = new ArrayList<>();
            owners(t, ns).forEach((p, o) -> {
                if (o.equals("i1")) {
                    victimTasks.add(p);
                }
            });
            long killed = System.nanoTime();
            running.get(1).kill9();
            Map<Integer, Long> base = new TreeMap<>();
            for (int p : victimTasks) {
                base.put(p, size(t, ns, p));
            }
            // processing again = output grows beyond what was there when the lease moved to the survivor
            waitUntil(() -> victimTasks.stream().allMatch(p -> "i0".equals(owners(t, ns).get(p))), 60);
            for (int p : victimTasks) {
                base.put(p, size(t, ns, p));
            }
            waitUntil(() -> victimTasks.stream().allMatch(p -> size(t, ns, p) > base.get(p)), 60);
            long ms = (System.nanoTime() - killed) / 1_000_000;
            feeder.interrupt();
            return ms;
        } finally {
            running.forEach(p -> p.terminate(Duration.ofSeconds(20)));
            running.forEach(InstanceProcess::close);
        }
    }

    private static Map<Integer, String> owners(ReactiveStringRedisTemplate t, String ns) {
        StreamKeys keys = new StreamKeys(ns);
        Map<Integer, String> owners = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            String o = t.opsForValue().get(keys.leaseOwner(ScaleOutTopology.APPLICATION + ".0", p)).block();
            if (o != null) {
                owners.put(p, o);
            }
        }
        return owners;
    }

    private static long size(ReactiveStringRedisTemplate t, String ns, int p) {
        return t.opsForStream().size(new StreamKeys(ns).stream("counted", p)).block();
    }

    private static long outputs(ReactiveStringRedisTemplate t, String ns) {
        long n = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            n += size(t, ns, p);
        }
        return n;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }
}
