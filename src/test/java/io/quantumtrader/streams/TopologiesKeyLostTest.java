package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gap (c) of the review of 2026-12-06: the hash of when each topology first ran in the namespace ({@code <ns>:topologies},
 * which decides who runs the tasks during a rolling update, {@code TopologyVersions}) lost while instances run (deleted
 * by hand, evicted under a maxmemory policy other than noeviction, Redis restarted from a snapshot taken before the new
 * release first ran). Each instance wrote its topology there once, at its first heartbeat, so nothing wrote it back: an
 * old-release pod restarted during the rollout recorded its topology as first run now, became the newest, and took
 * every task back from the new release, whose added sub-topology (1) then ran nowhere (as in
 * {@link TopologyFlipOnOldRestartTest} before its fix). Now every heartbeat writes the instance's topology back when it
 * is missing, with the time it first ran (HSETNX): the restarted old pod reads the old release's time and waits.
 */
class TopologiesKeyLostTest {

    @Test
    void aLostTopologiesHashIsWrittenBackSoAnOldReleaseRestartedLaterDoesNotTakeTheTasksBack() {
        String ns = RedisTestSupport.freshNamespace();
        String topologies = new StreamKeys(ns).topologies();
        List<StreamsRuntime> all = new ArrayList<>();
        try {
            RollingUpdateStart start = RollingUpdateStart.begin(ns, all);
            assertThat(template().opsForHash().size(topologies).block()).as("both releases recorded").isEqualTo(2);

            template().delete(topologies).block();   // lost while both run
            // the live members write it back at their next heartbeats (every TTL/3 = 2 s); before, nothing did
            try {
                await().atMost(Duration.ofSeconds(8)).until(() -> template().opsForHash().size(topologies).block() == 2);
            } finally {
                System.out.println("after the loss, " + topologies + " holds "
                        + template().opsForHash().entries(topologies).collectList().block());
            }

            // an old-release pod (re)joins while the rollout is under way
            start.oldPodJoinsAndTheNewKeepsItsTasks(all, () -> "");
        } finally {
            all.forEach(StreamsRuntime::kill);
        }
    }
}
