package io.quantumtrader.streams.scaleout;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.runtime.GroupState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * One instance of the scale-out test topology as its own process (started by the chaos tests with the test
 * classpath): runs until SIGTERM (graceful close: hand-over) or SIGKILL, printing a status line every 200 ms.
 *
 * <p>Arguments: redis port, namespace, instance id, lease TTL ms, batch size, work ({@code none}, {@code io:<micros>},
 * {@code cpu:<iterations>}), partitions (default {@value ScaleOutTopology#PARTITIONS}).
 */
public final class ScaleOutInstance {

    private ScaleOutInstance() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String namespace = args[1];
        String instanceId = args[2];
        Duration ttl = Duration.ofMillis(Long.parseLong(args[3]));
        int batch = Integer.parseInt(args[4]);
        String work = args.length > 5 ? args[5] : "none";
        int partitions = args.length > 6 ? Integer.parseInt(args[6]) : ScaleOutTopology.PARTITIONS;
        RedisConnection redis = RedisConnection.of("redis://127.0.0.1:" + port);
        StreamsConfig config = StreamsConfig.defaults().withNamespace(namespace).withInstanceId(instanceId)
                .withCatalog(ScaleOutTopology.catalog(partitions)).withBatchSize(batch).withLeaseTtl(ttl);
        runUntilKilled(new StreamsRuntime(ScaleOutTopology.build(work), config, redis.template()), redis, instanceId);
    }

    /**
     * Starts {@code runtime}, prints {@code STARTED <instance id>}, then a {@link #status} line every 200 ms until SIGTERM
     * (graceful close: hand-over, then {@code CLOSED clean=<true|false>}) or SIGKILL.
     */
    public static void runUntilKilled(StreamsRuntime runtime, RedisConnection redis, String instanceId) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean clean = runtime.close(Duration.ofSeconds(20));
            System.out.println("CLOSED clean=" + clean);
            System.out.flush();
            closed.countDown();
            redis.close();
        }));
        runtime.start();
        System.out.println("STARTED " + instanceId);
        while (closed.getCount() > 0) {
            System.out.println(status(runtime));
            System.out.flush();
            Thread.sleep(200);
        }
    }

    /** @return {@code STATUS in=<records in> state=<runtime> tasks=<id:STATE,...> revoked=<reason:n,...>} */
    public static String status(StreamsRuntime runtime) {
        GroupState g = runtime.group();
        StringBuilder tasks = new StringBuilder();
        g.tasks().forEach((id, s) -> {
            if (s != TaskState.UNASSIGNED) {
                tasks.append(tasks.length() == 0 ? "" : ",").append(id).append(':').append(s);
            }
        });
        Map<String, Double> revoked = new TreeMap<>();
        runtime.metrics().registry().find("qt.streams.tasks.revoked").functionCounters()
                .forEach(c -> revoked.put(c.getId().getTag("reason"), c.count()));
        return "STATUS in=" + runtime.counters().recordsIn() + " state=" + runtime.state() + " tasks=" + tasks
                + " revoked=" + revoked.toString().replace(" ", "") + " members=" + String.join(",", g.members());
    }
}
