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
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart (as a Kubernetes rolling update does it): each of three instance processes in turn gets SIGTERM
 * (graceful close: hand-over of its tasks) and is replaced by a new process, while the stream flows. The outputs
 * equal an uninterrupted single-instance run.
 */
class RollingRestartTest {

    static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void restartingEveryInstanceOneByOneDuringAStreamLosesAndDuplicatesNothing() throws Exception {
        List<EventPublisher.Event> events = ScaleOutTopology.events(24, 200);
        String reference = RedisTestSupport.freshNamespace();
        ScaleOutFixtures.referenceRun(reference, events);

        String ns = RedisTestSupport.freshNamespace();
        int port = RedisTestSupport.redis().port();
        List<InstanceProcess> all = new ArrayList<>();
        try {
            List<InstanceProcess> current = new ArrayList<>();
            for (String id : List.of("a", "b", "c")) {
                InstanceProcess p = InstanceProcess.start(port, ns, id, TTL, 50, "none");
                all.add(p);
                current.add(p);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> leaseCounts(template(), ns).equals(Map.of("a", 2L, "b", 2L, "c", 2L)));
            // the last quarter waits for the restarts: under load they once took longer than the paced events lasted
            // (62 s, 2026-12-05), and the test's premise (restarts while the stream flows) failed, not the engine
            ScaleOutFixtures.PacedPublisher publisher = new ScaleOutFixtures.PacedPublisher(ns, events, 48, 250)
                    .holdAt(events.size() * 3 / 4);
            publisher.start();

            long publishedBeforeRestarts = -1;
            for (int i = 0; i < current.size(); i++) {
                await().atMost(Duration.ofSeconds(20)).until(() -> ScaleOutTopology.outputCount(template(), ns) > 0);
                if (i == 0) {
                    publishedBeforeRestarts = publisher.published.get();
                }
                InstanceProcess old = current.get(i);
                assertThat(old.terminate(Duration.ofSeconds(25))).as("%s stops gracefully", old.instanceId()).isTrue();
                assertThat(old.output()).contains("CLOSED clean=true");
                assertThat(leaseCounts(template(), ns)).as("%s released its leases", old.instanceId())
                        .doesNotContainKey(old.instanceId());
                String id = old.instanceId() + "2";
                InstanceProcess replacement = InstanceProcess.start(port, ns, id, TTL, 50, "none");
                all.add(replacement);
                current.set(i, replacement);
                await().atMost(Duration.ofSeconds(15)).until(() -> leaseCounts(template(), ns).getOrDefault(id, 0L) == 2L);
            }
            assertThat(publisher.published.get()).as("events published during the restarts")
                    .isGreaterThan(publishedBeforeRestarts);
            assertThat(publisher.done()).as("events left to publish after the restarts").isFalse();
            publisher.release();

            await().atMost(Duration.ofSeconds(40)).until(() -> publisher.done()
                    && ScaleOutTopology.outputCount(template(), ns) >= events.size());
            assertThat(publisher.failure).isNull();
            InstanceProcess.sleep(500);
            assertThat(ScaleOutTopology.compare(template(), ns, reference)).isEmpty();
            assertThat(ScaleOutTopology.checkSequences(template(), ns, 200)).isEmpty();
            for (InstanceProcess p : current) {
                assertThat(p.recordsIn()).as("%s did work", p.instanceId()).isPositive();
            }
        } finally {
            all.forEach(InstanceProcess::close);
        }
    }
}
