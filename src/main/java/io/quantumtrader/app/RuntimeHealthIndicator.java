package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.RuntimeState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.function.Supplier;

/**
 * Actuator health {@code runtime}: this instance's streams runtime is running. The readiness group's check: UP while
 * RUNNING (from the runtime's start, before its tasks are taken); DOWN while starting, stopping or stopped, and in
 * ERROR (a task stopped for good; the instance keeps running its other tasks, and stays NotReady until someone
 * restarts it: a sign for people, not for the load; k8s/base/pdb.yaml lets a node drain evict such a pod). A new release whose task fails for good within the Deployment's
 * {@code minReadySeconds} (30 s) stops its rollout; a later failure does not. Whether the group keeps up (lag, pending age, stale consumers, Redis answering) is the
 * {@code streams} indicator's, on {@code /actuator/health}, for alerting: it describes every instance at once, so in
 * the readiness group a backlog made every pod NotReady together and stalled a rolling update whose surge pod could
 * never become Ready (found in review, 2026-12-05).
 */
public final class RuntimeHealthIndicator implements HealthIndicator {

    private final Supplier<RuntimeState> state;

    /** @param state the runtime's current state */
    public RuntimeHealthIndicator(Supplier<RuntimeState> state) {
        this.state = state;
    }

    @Override
    public Health health() {
        RuntimeState s = state.get();
        return (s == RuntimeState.RUNNING ? Health.up() : Health.down()).withDetail("state", s.name()).build();
    }
}
