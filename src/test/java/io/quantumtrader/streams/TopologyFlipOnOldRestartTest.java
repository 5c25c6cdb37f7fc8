package io.quantumtrader.streams;

import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;


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
            RollingUpdateStart.begin(ns, all).oldPodJoinsAndTheNewKeepsItsTasks(all, () -> "");
        } finally {
            all.forEach(StreamsRuntime::kill);
        }
    }
}
