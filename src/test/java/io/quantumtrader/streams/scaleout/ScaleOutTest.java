package io.quantumtrader.streams.scaleout;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.scaleout.ScaleOutFixtures.leaseCounts;
import static io.quantumtrader.streams.scaleout.ScaleOutFixtures.leaseOwners;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several in-process runtimes share the tasks of a 6-partition topology (the fast cases of issue 9; the chaos cases
 * run instances as processes: {@link FailoverTest}, {@link ZombieInstanceTest}).
 */
class ScaleOutTest {

    static final Duration TTL = Duration.ofSeconds(2);

    static StreamsRuntime instance(String ns, String id) {
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId(id).withCatalog(ScaleOutTopology.CATALOG)
                .withBatchSize(50).withLeaseTtl(TTL);
        StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("none"), config, template());
        runtime.start();
        return runtime;
    }

    static Set<Integer> running(StreamsRuntime runtime) {
        Set<Integer> out = new TreeSet<>();
        runtime.tasks().forEach(t -> {
            if (t.state() == TaskState.RUNNING) {
                out.add(t.taskId().partition());
            }
        });
        return out;
    }

    @Test
    void threeInstancesOnSixPartitionsOwnTwoTasksEachAndNoTaskIsOwnedTwice() {
        String ns = RedisTestSupport.freshNamespace();
        List<StreamsRuntime> runtimes = new ArrayList<>();
        try {
            for (String id : List.of("a", "b", "c")) {
                runtimes.add(instance(ns, id));
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(leaseCounts(template(), ns)).as("tasks per instance, from the lease keys in Redis")
                        .isEqualTo(Map.of("a", 2L, "b", 2L, "c", 2L));
                for (StreamsRuntime r : runtimes) {
                    Set<Integer> inRedis = new TreeSet<>();
                    leaseOwners(template(), ns).forEach((p, owner) -> {
                        if (owner.equals(r.config().instanceId())) {
                            inRedis.add(p);
                        }
                    });
                    assertThat(running(r)).as("what %s runs is what Redis says it owns", r.config().instanceId()).isEqualTo(inRedis);
                }
            });
            // stable: for a while, no task is running on two instances and the leases do not move
            Map<Integer, String> settled = leaseOwners(template(), ns);
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                Map<Integer, String> runningOn = new HashMap<>();
                for (StreamsRuntime r : runtimes) {
                    for (int p : running(r)) {
                        assertThat(runningOn.put(p, r.config().instanceId())).as("task 0_%d running twice", p).isNull();
                    }
                }
                assertThat(leaseOwners(template(), ns)).isEqualTo(settled);
            }
            assertThat(runtimes.get(0).group().members()).containsExactly("a", "b", "c");
            assertThat(runtimes.get(0).group().assignment().get("a")).hasSize(2);
        } finally {
            runtimes.forEach(StreamsRuntime::close);
        }
    }

    @Test
    void anInstanceAddedAndAnotherClosedMidStreamLoseAndDuplicateNothing() {
        List<EventPublisher.Event> events = ScaleOutTopology.events(24, 150);
        String reference = RedisTestSupport.freshNamespace();
        ScaleOutFixtures.referenceRun(reference, events);

        String ns = RedisTestSupport.freshNamespace();
        StreamsRuntime a = instance(ns, "a");
        StreamsRuntime b = instance(ns, "b");
        StreamsRuntime c = null;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> leaseCounts(template(), ns).equals(Map.of("a", 3L, "b", 3L)));
            // publishing waits at half for c's join and at three quarters for b's close: under load, the steps
            // could outlast the paced events, and each step is to happen while the stream flows
            ScaleOutFixtures.PacedPublisher publisher = new ScaleOutFixtures.PacedPublisher(ns, events, 48, 25)
                    .holdAt(events.size() / 2, events.size() * 3 / 4);
            publisher.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> ScaleOutTopology.outputCount(template(), ns) > 400);

            c = instance(ns, "c"); // joins mid-stream: a and b each hand one task over, cooperatively
            await().atMost(Duration.ofSeconds(10)).until(() -> leaseCounts(template(), ns).equals(Map.of("a", 2L, "b", 2L, "c", 2L)));
            publisher.release();
            StreamsRuntime joined = c;
            await().atMost(Duration.ofSeconds(10)).until(() -> joined.counters().recordsIn() > 0);
            assertThat(a.metrics().registry().find("qt.streams.tasks.revoked").tag("reason", "rebalance").functionCounter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(c.metrics().registry().find("qt.streams.rebalances").functionCounter().count()).isGreaterThanOrEqualTo(1);

            // b leaves gracefully mid-stream: its tasks move at the others' next rebalance step, not after the TTL
            assertThat(publisher.done()).as("still publishing").isFalse();
            long closing = System.nanoTime();
            assertThat(b.close(Duration.ofSeconds(10))).isTrue();
            publisher.release();
            assertThat(b.tasks()).allSatisfy(t -> assertThat(t.state()).isIn(TaskState.UNASSIGNED, TaskState.CLOSED, TaskState.REVOKED));
            await().atMost(Duration.ofSeconds(5)).until(() -> leaseCounts(template(), ns).equals(Map.of("a", 3L, "c", 3L)));
            long movedMs = (System.nanoTime() - closing) / 1_000_000;
            assertThat(movedMs).as("hand-over on a graceful stop takes less than the lease TTL").isLessThan(TTL.toMillis() + 1000);

            await().atMost(Duration.ofSeconds(40)).until(() -> publisher.done()
                    && ScaleOutTopology.outputCount(template(), ns) >= events.size());
            assertThat(publisher.failure).isNull();
            assertThat(a.awaitDrained(Duration.ofSeconds(20))).isTrue();
            assertThat(ScaleOutTopology.compare(template(), ns, reference)).isEmpty();
            assertThat(ScaleOutTopology.checkSequences(template(), ns, 150)).isEmpty();
            assertThat(a.counters().recordsIn() + b.counters().recordsIn() + c.counters().recordsIn())
                    .as("every input committed exactly once over the three instances").isEqualTo(events.size());
        } finally {
            a.close();
            b.close();
            if (c != null) {
                c.close();
            }
        }
    }
}
