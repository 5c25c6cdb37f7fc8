package io.quantumtrader.streams;

import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * During a rolling update an instance of the old release that (re)joins after the new one — a crashed old pod restarted
 * by its ReplicaSet, a pod evicted by a node drain, KEDA scaling the Deployment mid-rollout (Kubernetes spreads added
 * replicas over the old and new ReplicaSets) — does not take the tasks back: the newest topology is the one first run
 * latest in the namespace, not the one of the member that joined last. Found in review (2026-12-05) of the first
 * version of {@code TopologyVersions}: the new instance handed every task over to the old ones, and the tasks only the
 * new release has (sub-topology 1 here) were run by nobody again.
 */
class TopologyFlipOnOldRestartTest {

    @Test
    void anOldReleaseInstanceJoiningAfterTheNewOneDoesNotLeaveTheNewTasksUnowned() {
        String ns = RedisTestSupport.freshNamespace();
        List<StreamsRuntime> all = new ArrayList<>();
        try {
            RollingUpdateStart start = RollingUpdateStart.begin(ns, all);
            StreamsConfig config = start.config();
            StreamsRuntime old = start.old();
            StreamsRuntime updated = start.updated();

            // an old-release pod (re)joins while the rollout is under way
            StreamsRuntime oldAgain = new StreamsRuntime(FencingTokenRollbackTest.topology(), config.withInstanceId("old-2"), template());
            all.add(oldAgain);
            oldAgain.start();
            long t0 = System.nanoTime();
            try {
                await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(15)).until(() ->
                        ShutdownHandOverTest.running(updated).containsAll(List.of("1_0", "1_1", "1_2", "1_3")));
            } finally {
                System.out.printf("after %d ms: new-1 runs %s, old-1 runs %s, old-2 runs %s%n",
                        (System.nanoTime() - t0) / 1_000_000, ShutdownHandOverTest.running(updated),
                        ShutdownHandOverTest.running(old), ShutdownHandOverTest.running(oldAgain));
            }
        } finally {
            all.forEach(StreamsRuntime::kill);
        }
    }
}
