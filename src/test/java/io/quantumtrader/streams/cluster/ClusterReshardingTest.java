package io.quantumtrader.streams.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resharding while a topology runs and half its input is published: slots move key by key, as
 * {@code redis-cli --cluster reshard} does (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE). Appends, reads,
 * commits, outbox forwards and lease renewals meet ASK, MOVED and TRYAGAIN replies (TRYAGAIN is sent again: no task
 * restarts, also while a slot is held half migrated for 7 s). Every output once, in order, with the right count, each
 * record counted once; and the run met all three
 * (the meters {@code qt.streams.redis.tryagain.retries} and {@code qt.streams.redis.commit.redirects}).
 */
class ClusterReshardingTest {

    private static final int KEYS = 24;
    private static final int PER_KEY = 500;

    /**
     * Every slot of the run's partitions moves four times (to the other master and back, twice), 100 ms apart; with
     * {@code WAIT 1} each commit counts only once the replica of the master that applied it has it.
     */
    @Test
    void everyOutputOnceInOrderWhileTheSlotsMoveBetweenMasters() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, 1)) {
            List<TestCluster.Node> masters = cluster.nodes().subList(0, 2);
            runWhileSlotsMove(cluster, CommitOptions.defaults().withWait(1, Duration.ofSeconds(2)), 4,
                    slot -> masterOfSlot(cluster, masters, slot).equals(masters.get(0)) ? masters.get(1) : masters.get(0),
                    masters);
        }
    }

    /**
     * Scaling the cluster out: a third master joins while the run goes on (the client's slot map does not know it yet)
     * and every slot of the run's partitions moves to it. Without {@code WAIT}: the new master has no replica.
     */
    @Test
    void everyOutputOnceInOrderWhileAMasterJoinsAndTakesTheSlots() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, 0)) {
            AtomicInteger joined = new AtomicInteger(-1);
            runWhileSlotsMove(cluster, CommitOptions.defaults(), 1, slot -> {
                if (joined.get() < 0) {
                    TestCluster.Node added = cluster.addMaster();
                    joined.set(cluster.nodes().indexOf(added));
                }
                return cluster.nodes().get(joined.get());
            }, cluster.nodes());
            assertThat(cluster.nodes()).hasSize(3);
        }
    }

    /**
     * A slot held half migrated for 7 s (a move of big streams, or an operator's move that stalls): partition 0's input
     * stream is on the target while its lease, state and metadata are still on the source, so every read, watermark read
     * and commit of task 0 is refused with TRYAGAIN for the whole hold. The task waits it out: no restart (before, a
     * read timed out after 5 s over all its attempts and the task restarted), every output once, in order.
     */
    @Test
    void aSlotHeldHalfMigratedIsWaitedOutWithoutARestart() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, 0);
             RedisConnection redis = cluster.connect()) {
            String ns = "held" + System.nanoTime();
            StreamKeys keys = new StreamKeys(ns);
            EventPublisher publisher = new EventPublisher(redis.template(), keys, ScaleOutTopology.CATALOG, "test");
            List<EventPublisher.Event> events = ScaleOutTopology.events(KEYS, PER_KEY);
            publisher.sendAll(Flux.fromIterable(events.subList(0, events.size() / 2)), 256).block();
            int slot = SlotHash.getSlot(keys.slot(0));
            List<TestCluster.Node> masters = cluster.nodes();
            StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("held")
                    .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
            ListAppender<ILoggingEvent> taskLog = new ListAppender<>();
            Logger taskManager = (Logger) LoggerFactory.getLogger("io.quantumtrader.streams.runtime.TaskManager");
            taskLog.start();
            taskManager.addAppender(taskLog);
            try (StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("io:500"), config, redis.template())) {
                runtime.start();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().recordsIn() > 0);
                TestCluster.Node source = masterOfSlot(cluster, masters, slot);
                TestCluster.Node target = source.equals(masters.get(0)) ? masters.get(1) : masters.get(0);
                beginMove(cluster, slot, source, target);
                String input = keys.stream("events", 0);
                cluster.sync(source, c -> c.migrate("127.0.0.1", target.port(), 0, 10_000, MigrateArgs.Builder.keys(input)));
                long retriesBefore = io.quantumtrader.streams.redis.TryAgainRetry.retries();
                long restartsBefore = runtime.counters().restarts();
                publisher.sendAll(Flux.fromIterable(events.subList(events.size() / 2, events.size())), 256).block();
                Thread.sleep(7_000);
                long retriesDuringHold = io.quantumtrader.streams.redis.TryAgainRetry.retries() - retriesBefore;
                long restartsDuringHold = runtime.counters().restarts() - restartsBefore;
                finishMove(cluster, slot, source, target); // the rest of the slot, then the slot itself
                assertThat(retriesDuringHold).as("commands refused with TRYAGAIN and sent again during the hold").isPositive();
                assertThat(runtime.awaitDrained(Duration.ofSeconds(120))).as("drained: " + runtime.undrained()).isTrue();
                assertThat(ScaleOutTopology.checkSequences(redis.template(), ns, PER_KEY)).as("every output once, in order").isEmpty();
                assertThat(ScaleOutTopology.outputCount(redis.template(), ns)).isEqualTo((long) KEYS * PER_KEY);
                assertThat(runtime.counters().recordsIn()).as("records counted in").isEqualTo((long) KEYS * PER_KEY);
                assertThat(restartsDuringHold).as("task restarts during the hold: %s", taskLog.list.stream()
                        .filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList()).isZero();
                assertThat(runtime.counters().restarts()).as("task restarts").isZero();
            } finally {
                taskManager.detachAppender(taskLog);
            }
        }
    }

    /**
     * Publishes half the input, starts the run, moves every slot of its partitions {@code passes} times (100 ms apart)
     * while publishing the other half, and checks the outputs once the run drained.
     *
     * @param targetOf the master a slot moves to (called by the resharding thread)
     * @param masters  the masters serving slots at the start
     */
    private static void runWhileSlotsMove(TestCluster cluster, CommitOptions commits, int passes,
                                         IntFunction<TestCluster.Node> targetOf, List<TestCluster.Node> masters) throws Exception {
        String ns = "reshard" + System.nanoTime();
        try (RedisConnection redis = cluster.connect()) {
            EventPublisher publisher = new EventPublisher(redis.template(), new StreamKeys(ns), ScaleOutTopology.CATALOG, "test");
            List<EventPublisher.Event> events = ScaleOutTopology.events(KEYS, PER_KEY);
            publisher.sendAll(Flux.fromIterable(events.subList(0, events.size() / 2)), 256).block();
            Set<Integer> slots = new TreeSet<>();
            for (int p = 0; p < ScaleOutTopology.PARTITIONS; p++) {
                slots.add(SlotHash.getSlot(new StreamKeys(ns).slot(p)));
            }
            StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("reshard")
                    .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger moved = new AtomicInteger();
            // a failed move leaves its slot half moved: the test reports it, not the engine's stall that follows
            java.util.concurrent.atomic.AtomicReference<Throwable> reshardingFailed = new java.util.concurrent.atomic.AtomicReference<>();
            List<TestCluster.Node> known = new java.util.concurrent.CopyOnWriteArrayList<>(masters);
            Thread resharding = new Thread(() -> {
                for (int pass = 0; pass < passes && !stop.get(); pass++) {
                    for (int slot : slots) {
                        if (stop.get()) {
                            return;
                        }
                        TestCluster.Node source = masterOfSlot(cluster, known, slot);
                        TestCluster.Node target = targetOf.apply(slot);
                        if (!known.contains(target)) {
                            known.add(target);
                        }
                        move(cluster, slot, source, target);
                        moved.incrementAndGet();
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "resharding");
            resharding.setUncaughtExceptionHandler((thread, e) -> reshardingFailed.set(e));
            // why tasks restarted, for the failure message (TaskManager logs each restart with its cause)
            ListAppender<ILoggingEvent> taskLog = new ListAppender<>();
            Logger taskManager = (Logger) LoggerFactory.getLogger("io.quantumtrader.streams.runtime.TaskManager");
            taskLog.start();
            taskManager.addAppender(taskLog);
            try (StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("io:500"), config, redis.template())
                    .withCommitOptions(commits)) {
                long retriesBefore = io.quantumtrader.streams.redis.TryAgainRetry.retries();
                runtime.start();
                resharding.start();
                publisher.sendAll(Flux.fromIterable(events.subList(events.size() / 2, events.size())), 256).block();
                resharding.join(120_000);
                assertThat(reshardingFailed.get()).as("the resharding itself (not the engine) failed").isNull();
                long processedWhileMoving = runtime.counters().recordsIn();
                assertThat(runtime.awaitDrained(Duration.ofSeconds(120))).as("drained: " + runtime.undrained()).isTrue();
                assertThat(moved.get()).as("slot moves").isEqualTo(passes * slots.size());
                assertThat(processedWhileMoving).as("records processed before the last move").isBetween(1L, KEYS * PER_KEY - 1L);
                assertThat(ScaleOutTopology.checkSequences(redis.template(), ns, PER_KEY)).as("every output once, in order").isEmpty();
                assertThat(ScaleOutTopology.outputCount(redis.template(), ns)).isEqualTo((long) KEYS * PER_KEY);
                assertThat(runtime.counters().deadLettered()).as("dead-lettered").isZero();
                assertThat(runtime.counters().recordsIn()).as("records counted in").isEqualTo((long) KEYS * PER_KEY);
                // TRYAGAIN (keys of a task's slot on both masters) is sent again, not a task failure (TryAgainRetry)
                assertThat(runtime.counters().restarts()).as("task restarts: %s", taskLog.list.stream()
                        .filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList()).isZero();
                double asks = meter(runtime, "qt.streams.redis.commit.redirects", "ask");
                double moves = meter(runtime, "qt.streams.redis.commit.redirects", "moved");
                double retries = meter(runtime, "qt.streams.redis.tryagain.retries", null);
                long retriesHere = io.quantumtrader.streams.redis.TryAgainRetry.retries() - retriesBefore;
                // the run went through what a resharding does to a client: in 4 runs of each test, 15–28 of each kind
                // with four passes, 4–8 with one (so one pass asserts only their sum: a kind may miss a short run)
                String seen = String.format("%d TRYAGAIN retries (meter %.0f), %.0f ASK, %.0f MOVED", retriesHere, retries, asks, moves);
                assertThat(retries).as(seen).isGreaterThanOrEqualTo(retriesHere);
                if (passes >= 4) {
                    assertThat(retriesHere).as(seen).isPositive();
                    assertThat(asks).as(seen).isPositive();
                    assertThat(moves).as(seen).isPositive();
                } else {
                    assertThat(retriesHere + asks + moves).as(seen).isPositive();
                }
            } finally {
                stop.set(true);
                resharding.join(30_000);
                taskManager.detachAppender(taskLog);
            }
        }
    }

    /** @return the value of the counter {@code name} (with tag {@code kind} when not null) */
    private static double meter(StreamsRuntime runtime, String name, String kind) {
        var search = runtime.metrics().registry().find(name);
        return (kind == null ? search : search.tag("kind", kind)).functionCounter().count();
    }

    /** Moves {@code slot} from {@code source} to {@code target}, key by key (Redis Cluster specification, "Live reconfiguration"). */
    private static void move(TestCluster cluster, int slot, TestCluster.Node source, TestCluster.Node target) {
        beginMove(cluster, slot, source, target);
        finishMove(cluster, slot, source, target);
    }

    /** Marks {@code slot} importing on {@code target} and migrating on {@code source}: no key has moved yet. */
    private static void beginMove(TestCluster cluster, int slot, TestCluster.Node source, TestCluster.Node target) {
        String sourceId = cluster.sync(source, c -> c.clusterMyId());
        String targetId = cluster.sync(target, c -> c.clusterMyId());
        cluster.sync(target, c -> c.clusterSetSlotImporting(slot, sourceId));
        cluster.sync(source, c -> c.clusterSetSlotMigrating(slot, targetId));
    }

    /** Migrates the keys of {@code slot} still on {@code source}, then gives the slot to {@code target} on both. */
    private static void finishMove(TestCluster cluster, int slot, TestCluster.Node source, TestCluster.Node target) {
        String targetId = cluster.sync(target, c -> c.clusterMyId());
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

    /** @return the one of {@code masters} serving {@code slot}, by its own view */
    private static TestCluster.Node masterOfSlot(TestCluster cluster, List<TestCluster.Node> masters, int slot) {
        for (TestCluster.Node master : masters) {
            if (cluster.<String>sync(master, c -> c.clusterNodes()).lines()
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
