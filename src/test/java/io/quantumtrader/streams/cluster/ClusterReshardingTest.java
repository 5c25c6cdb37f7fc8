package io.quantumtrader.streams.cluster;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.cluster.SlotHash;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resharding while a topology runs: every slot of the namespace's partitions moves to the other master and back, four
 * times, 100 ms apart, key by key, as {@code redis-cli --cluster reshard} does (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE,
 * SETSLOT NODE), while the run goes on and half the input is published. Appends, reads, commits, outbox forwards and lease renewals meet ASK, MOVED and TRYAGAIN
 * replies (TRYAGAIN is sent again: no task restarts); with {@code WAIT 1} each commit counts only once the replica of
 * the master that applied it has it. Every output once, in order, with the right count, and each record counted once.
 */
class ClusterReshardingTest {

    /** Times every slot of the namespace moves (to the other master and back, alternately). */
    private static final int PASSES = 4;

    @Test
    void everyOutputOnceInOrderWhileTheSlotsMoveBetweenMasters() throws Exception {
        int keys = 24;
        int perKey = 500;
        String ns = "reshard" + System.nanoTime();
        try (TestCluster cluster = TestCluster.start(2, 1);
             RedisConnection redis = cluster.connect()) {
            EventPublisher publisher = new EventPublisher(redis.template(), new StreamKeys(ns), ScaleOutTopology.CATALOG, "test");
            List<EventPublisher.Event> events = ScaleOutTopology.events(keys, perKey);
            publisher.sendAll(Flux.fromIterable(events.subList(0, events.size() / 2)), 256).block();
            Set<Integer> slots = new TreeSet<>();
            for (int p = 0; p < ScaleOutTopology.PARTITIONS; p++) {
                slots.add(SlotHash.getSlot(new StreamKeys(ns).slot(p)));
            }
            StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("reshard")
                    .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger moved = new AtomicInteger();
            Thread resharding = new Thread(() -> {
                for (int pass = 0; pass < PASSES && !stop.get(); pass++) {
                    for (int slot : slots) {
                        if (stop.get()) {
                            break;
                        }
                        move(cluster, slot);
                        moved.incrementAndGet();
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "resharding");
            // why tasks restarted, for the failure message (TaskManager logs each restart with its cause)
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> restarts = new ch.qos.logback.core.read.ListAppender<>();
            ch.qos.logback.classic.Logger taskManager = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                    .getLogger("io.quantumtrader.streams.runtime.TaskManager");
            restarts.start();
            taskManager.addAppender(restarts);
            try (StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("io:500"), config, redis.template())
                    .withCommitOptions(CommitOptions.defaults().withWait(1, Duration.ofSeconds(2)))) {
                runtime.start();
                resharding.start();
                // the rest published while the slots move: the publisher's appends meet ASK, MOVED and TRYAGAIN too
                publisher.sendAll(Flux.fromIterable(events.subList(events.size() / 2, events.size())), 256).block();
                resharding.join(120_000);
                long processedWhileMoving = runtime.counters().recordsIn();
                assertThat(runtime.awaitDrained(Duration.ofSeconds(120))).as("drained: " + runtime.undrained()).isTrue();
                assertThat(moved.get()).as("slot moves").isEqualTo(PASSES * slots.size());
                assertThat(processedWhileMoving).as("records processed before the last move").isBetween(1L, keys * perKey - 1L);
                assertThat(ScaleOutTopology.checkSequences(redis.template(), ns, perKey)).as("every output once, in order").isEmpty();
                assertThat(ScaleOutTopology.outputCount(redis.template(), ns)).isEqualTo((long) keys * perKey);
                assertThat(runtime.counters().deadLettered()).as("dead-lettered").isZero();
                // TRYAGAIN (keys of a task's slot on both masters) is sent again, not a task failure (TryAgainRetry)
                assertThat(runtime.counters().restarts()).as("task restarts: %s", restarts.list.stream()
                        .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).map(e -> e.getFormattedMessage()).toList()).isZero();
                assertThat(runtime.counters().recordsIn()).as("records counted in").isEqualTo((long) keys * perKey);
            } finally {
                stop.set(true);
                resharding.join(30_000);
                taskManager.detachAppender(restarts);
            }
        }
    }

    /** Moves {@code slot} to the other master, key by key (Redis Cluster specification, "Live reconfiguration"). */
    private static void move(TestCluster cluster, int slot) {
        TestCluster.Node source = masterOfSlot(cluster, slot);
        TestCluster.Node target = cluster.nodes().get(0).equals(source) ? cluster.nodes().get(1) : cluster.nodes().get(0);
        String sourceId = cluster.sync(source, c -> c.clusterMyId());
        String targetId = cluster.sync(target, c -> c.clusterMyId());
        cluster.sync(target, c -> c.clusterSetSlotImporting(slot, sourceId));
        cluster.sync(source, c -> c.clusterSetSlotMigrating(slot, targetId));
        while (true) {
            List<String> inSlot = cluster.sync(source, c -> c.clusterGetKeysInSlot(slot, 10));
            if (inSlot.isEmpty()) {
                break;
            }
            cluster.sync(source, c -> c.migrate("127.0.0.1", target.port(), 0, 10_000,
                    MigrateArgs.Builder.keys(inSlot.toArray(String[]::new))));
        }
        for (TestCluster.Node master : List.of(target, source)) {
            cluster.sync(master, c -> c.clusterSetSlotNode(slot, targetId));
        }
    }

    /** @return the master serving {@code slot} (of the two masters, by their own view) */
    private static TestCluster.Node masterOfSlot(TestCluster cluster, int slot) {
        for (TestCluster.Node master : cluster.nodes().subList(0, 2)) {
            if (cluster.<Long>sync(master, c -> c.clusterCountKeysInSlot(slot)) > 0
                    || cluster.<String>sync(master, c -> c.clusterNodes()).lines()
                    .filter(l -> l.contains("myself")).anyMatch(l -> serves(l, slot))) {
                return master;
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** @return true when a CLUSTER NODES line lists {@code slot} among its ranges */
    private static boolean serves(String line, int slot) {
        String[] f = line.split(" ");
        for (int i = 8; i < f.length; i++) {
            if (f[i].startsWith("[")) {
                continue;
            }
            String[] range = f[i].split("-");
            int lo = Integer.parseInt(range[0]);
            int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
            if (slot >= lo && slot <= hi) {
                return true;
            }
        }
        return false;
    }
}
