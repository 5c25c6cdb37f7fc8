package io.quantumtrader.streams.scaleout;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
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
 * Three instances as processes; one is killed with {@code kill -9} mid-stream. Its leases expire after the TTL, the
 * survivors take its tasks and its pending entries, and the outputs equal an uninterrupted single-instance run.
 */
class FailoverTest {

    static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void aKilledInstancesTasksMoveWithinTheLeaseTtlAndNothingIsLostOrDuplicated() throws Exception {
        List<EventPublisher.Event> events = ScaleOutTopology.events(24, 250);
        String reference = RedisTestSupport.freshNamespace();
        ScaleOutFixtures.referenceRun(reference, events);

        String ns = RedisTestSupport.freshNamespace();
        int port = RedisTestSupport.redis().port();
        List<InstanceProcess> instances = new ArrayList<>();
        try {
            for (String id : List.of("a", "b", "c")) {
                instances.add(InstanceProcess.start(port, ns, id, TTL, 50, "none"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> leaseCounts(template(), ns).equals(Map.of("a", 2L, "b", 2L, "c", 2L)));
            // the last quarter waits for the kill: under load, the steps before it could outlast the paced events
            ScaleOutFixtures.PacedPublisher publisher = new ScaleOutFixtures.PacedPublisher(ns, events, 48, 60)
                    .holdAt(events.size() * 3 / 4);
            publisher.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> ScaleOutTopology.outputCount(template(), ns) > 1500);

            InstanceProcess victim = instances.get(1);
            Set<Integer> victimTasks = new TreeSet<>();
            leaseOwners(template(), ns).forEach((p, owner) -> {
                if (owner.equals("b")) {
                    victimTasks.add(p);
                }
            });
            long killed = System.nanoTime();
            victim.kill9();
            assertThat(publisher.done()).as("killed mid-stream").isFalse();
            publisher.release();

            await().atMost(TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                Map<Integer, String> owners = leaseOwners(template(), ns);
                return owners.size() == 6 && !owners.containsValue("b");
            });
            long movedMs = (System.nanoTime() - killed) / 1_000_000;
            Map<Integer, Long> outputsAtMove = new java.util.HashMap<>();
            for (int p : victimTasks) {
                outputsAtMove.put(p, (long) ScaleOutTopology.outputs(template(), ns, p).size());
            }
            // processing again on every moved task
            await().atMost(Duration.ofSeconds(10)).until(() -> victimTasks.stream()
                    .allMatch(p -> ScaleOutTopology.outputs(template(), ns, p).size() > outputsAtMove.get(p)));
            long processingMs = (System.nanoTime() - killed) / 1_000_000;
            System.out.printf("kill -9 -> leases moved after %d ms, every moved task processing after %d ms (TTL %d ms)%n",
                    movedMs, processingMs, TTL.toMillis());
            assertThat(movedMs).as("tasks move within TTL + a few seconds").isLessThan(TTL.toMillis() + 4000);
            assertThat(leaseCounts(template(), ns)).isEqualTo(Map.of("a", 3L, "c", 3L));

            await().atMost(Duration.ofSeconds(40)).until(() -> publisher.done()
                    && ScaleOutTopology.outputCount(template(), ns) >= events.size());
            assertThat(publisher.failure).isNull();
            InstanceProcess.sleep(500); // anything duplicated would show up now
            assertThat(ScaleOutTopology.compare(template(), ns, reference)).isEmpty();
            assertThat(ScaleOutTopology.checkSequences(template(), ns, 250)).isEmpty();
            assertThat(instances.get(0).output()).doesNotContain("ERROR");
            assertThat(instances.get(2).output()).doesNotContain("ERROR");
        } finally {
            instances.forEach(InstanceProcess::close);
        }
    }
}
