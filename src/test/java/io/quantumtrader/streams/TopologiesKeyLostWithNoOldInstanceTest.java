package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.awaitility.Awaitility.await;

/**
 * The limit {@link TopologiesKeyLostTest} left: {@code <ns>:topologies} lost while <b>no</b> instance of the old release
 * runs (the old pods already replaced), then an old-release pod started before the new ones are stopped (a node drain
 * rescheduling a pod of the old ReplicaSet, KEDA scaling it). Nobody wrote the old topology back, so the old pod recorded
 * it as first run now, counted as the newest and took every task, leaving the new release's sub-topology 1 unrun
 * (found in review, 2026-12-06). Now each member's details list the topologies recorded as first run before its own
 * ({@code supersedes}), and an instance whose topology is missing from the hash but listed there by a live member
 * records it as first run just before that member's: the old pod waits.
 */
class TopologiesKeyLostWithNoOldInstanceTest {

    @Test
    void anOldReleasePodStartedAfterTheHashWasLostWithNoOldInstanceRunningDoesNotTakeTheTasks() {
        String ns = RedisTestSupport.freshNamespace();
        String topologies = new StreamKeys(ns).topologies();
        List<StreamsRuntime> all = new ArrayList<>();
        try {
            RollingUpdateStart start = RollingUpdateStart.begin(ns, all);
            start.old().close();   // the old pod replaced: no instance of the old release runs

            template().delete(topologies).block();   // lost while only the new release runs
            await().atMost(Duration.ofSeconds(8)).until(() -> template().opsForHash().size(topologies).block() == 1);

            // an old-release pod starts before the new ones are stopped
            start.oldPodJoinsAndTheNewKeepsItsTasks(all, () -> "; " + topologies + " holds "
                    + template().opsForHash().entries(topologies).collectList().block());
        } finally {
            all.forEach(StreamsRuntime::kill);
        }
    }
}
