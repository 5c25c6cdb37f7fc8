package io.quantumtrader.streams.scaleout;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.scaleout.ScaleOutFixtures.leaseCounts;
import static io.quantumtrader.streams.scaleout.ScaleOutFixtures.leaseOwners;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A zombie: an instance frozen with SIGSTOP (a long GC pause, a stalled VM) until its leases expire and its tasks
 * moved, then resumed with SIGCONT. It cannot commit or read (fenced), stops its tasks (REVOKED), rejoins and gets
 * its share back; the outputs equal an uninterrupted single-instance run.
 */
class ZombieInstanceTest {

    static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void aPausedInstanceIsFencedStopsItsTasksAndRejoinsCleanly() throws Exception {
        List<EventPublisher.Event> events = ScaleOutTopology.events(24, 300);
        String reference = RedisTestSupport.freshNamespace();
        ScaleOutFixtures.referenceRun(reference, events);

        String ns = RedisTestSupport.freshNamespace();
        int port = RedisTestSupport.redis().port();
        List<InstanceProcess> instances = new ArrayList<>();
        try {
            InstanceProcess zombie = InstanceProcess.start(port, ns, "a", TTL, 50, "none");
            instances.add(zombie);
            instances.add(InstanceProcess.start(port, ns, "b", TTL, 50, "none"));
            await().atMost(Duration.ofSeconds(20)).until(() -> leaseCounts(template(), ns).equals(Map.of("a", 3L, "b", 3L)));
            // the last quarter waits for the rejoin: under load, the steps before it could outlast the paced events
            ScaleOutFixtures.PacedPublisher publisher = new ScaleOutFixtures.PacedPublisher(ns, events, 48, 70)
                    .holdAt(events.size() * 3 / 4);
            publisher.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> zombie.recordsIn() > 500);

            zombie.pause();
            await().atMost(TTL.plusSeconds(8)).until(() -> {
                Map<Integer, String> owners = leaseOwners(template(), ns);
                return owners.size() == 6 && !owners.containsValue("a");
            });
            long outputsWhilePaused = ScaleOutTopology.outputCount(template(), ns);
            await().atMost(Duration.ofSeconds(10)).until(() -> ScaleOutTopology.outputCount(template(), ns) > outputsWhilePaused + 200);
            long processedBeforeResume = zombie.recordsIn();
            zombie.resume();

            // it finds itself fenced (or its leases not renewed in time) and stops those tasks without committing
            await().atMost(Duration.ofSeconds(10)).until(() -> zombie.output().contains("revoked (fenced)")
                    || zombie.output().contains("revoked (lease.expiring)"));
            // and rejoins: the tasks are shared again and it does work
            await().atMost(Duration.ofSeconds(20)).until(() -> leaseCounts(template(), ns).equals(Map.of("a", 3L, "b", 3L)));
            assertThat(publisher.done()).as("rejoined while the stream flowed").isFalse();
            publisher.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> zombie.recordsIn() > processedBeforeResume);

            await().atMost(Duration.ofSeconds(40)).until(() -> publisher.done()
                    && ScaleOutTopology.outputCount(template(), ns) >= events.size());
            assertThat(publisher.failure).isNull();
            InstanceProcess.sleep(500);
            assertThat(ScaleOutTopology.compare(template(), ns, reference)).isEmpty();
            assertThat(ScaleOutTopology.checkSequences(template(), ns, 300)).isEmpty();
            assertThat(zombie.status().get("state")).isEqualTo("RUNNING");
            assertThat(zombie.output()).doesNotContain("ERROR");
        } finally {
            instances.forEach(InstanceProcess::close);
        }
    }
}
