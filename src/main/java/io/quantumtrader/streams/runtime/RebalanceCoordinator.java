package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.StreamAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuples;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * One rebalance step, run every {@link AssignmentConfig#effectiveRebalanceInterval()}: renew this instance's
 * membership (every TTL/3) or read the membership, read every task's lease owner, compute the assignment with the
 * {@link StickyTaskAssignor} and have the {@link TaskManager} take or hand over tasks. No leader: every instance
 * computes the same assignment from the same Redis state, and the leases make sure a task has one owner at a time
 * while views differ.
 */
final class RebalanceCoordinator {

    private static final Logger log = LoggerFactory.getLogger(RebalanceCoordinator.class);

    /**
     * What this instance last saw and decided.
     *
     * @param members    live members, sorted
     * @param assignment the assignment computed from them: member → task ids
     * @param target     this instance's share
     */
    record Decision(List<String> members, Map<String, SortedSet<TaskId>> assignment, SortedSet<TaskId> target) {
        static final Decision NONE = new Decision(List.of(), Map.of(), new TreeSet<>());
    }

    private final Membership membership;
    private final TaskManager taskManager;
    private final StreamAdmin admin;
    private final String instanceId;
    private final Duration heartbeatInterval;
    private final LongAdder rebalances = new LongAdder();
    private volatile long lastHeartbeat;
    private volatile Decision last = Decision.NONE;
    private volatile List<String> lastOthers = List.of();

    RebalanceCoordinator(Membership membership, TaskManager taskManager, StreamAdmin admin, String instanceId,
                         Duration heartbeatInterval) {
        this.membership = membership;
        this.taskManager = taskManager;
        this.admin = admin;
        this.instanceId = instanceId;
        this.heartbeatInterval = heartbeatInterval;
    }

    /** One step: membership, lease owners, assignment, and the tasks started or handed over accordingly. */
    Mono<Decision> rebalance() {
        long now = System.nanoTime();
        boolean beat = lastHeartbeat == 0 || now - lastHeartbeat >= heartbeatInterval.toNanos();
        Mono<Membership.View> view = beat
                ? membership.heartbeat(taskManager.ownedTasks()).doOnNext(v -> lastHeartbeat = now)
                : membership.read();
        return view.flatMap(v -> membership.topologies(v.live())
                .flatMap(topologies -> leaseOwners().map(owners -> decide(v, topologies, owners))));
    }

    /** Leaves the membership (graceful stop). */
    Mono<Void> leave() {
        return membership.leave();
    }

    /** @return what was decided last */
    Decision last() {
        return last;
    }

    /** @return how often this instance's share of the tasks changed */
    long rebalances() {
        return rebalances.sum();
    }

    private Mono<Map<TaskId, String>> leaseOwners() {
        return Flux.fromIterable(taskManager.tasks())
                .flatMap(t -> admin.leaseOwner(t.ownerKey()).map(owner -> Tuples.of(t.taskId(), owner)), 16)
                .collectMap(tuple -> tuple.getT1(), tuple -> tuple.getT2(), TreeMap::new);
    }

    private Decision decide(Membership.View all, Membership.Topologies split, Map<TaskId, String> owners) {
        // members of other applications in the namespace take no part in this application's assignment
        Membership.View view = new Membership.View(all.nowMillis(),
                all.live().stream().filter(id -> !split.otherApplications().contains(id)).toList(),
                all.removed());
        Map<String, TopologyVersions.MemberTopology> topologies = split.sameApplication();
        if (!view.removed().isEmpty()) {
            log.info("members {} expired (no heartbeat within the lease TTL); their tasks move once their leases expire",
                    view.removed());
        }
        List<TaskId> tasks = taskManager.tasks().stream().map(StreamTask::taskId).toList();
        List<String> assignable = TopologyVersions.assignable(view.live(), topologies);
        reportOtherTopologies(view.live(), assignable, topologies);
        Map<String, SortedSet<TaskId>> assignment = StickyTaskAssignor.assign(assignable, tasks, owners);
        SortedSet<TaskId> target = assignment.getOrDefault(instanceId, new TreeSet<>());
        if (!view.live().contains(instanceId) && !taskManager.activeTasks().isEmpty()) {
            log.warn("this instance '{}' is not a live member (its heartbeat was late); handing its tasks over until it rejoins",
                    instanceId);
        }
        Decision previous = last;
        Decision decision = new Decision(view.live(), assignment, target);
        last = decision;
        if (!target.equals(previous.target())) {
            rebalances.increment();
            Set<TaskId> added = new TreeSet<>(target);
            added.removeAll(previous.target());
            Set<TaskId> removed = new TreeSet<>(previous.target());
            removed.removeAll(target);
            log.info("rebalance: members {}; this instance '{}' is assigned {} (+{} -{})", view.live(), instanceId, target,
                    added, removed);
        }
        taskManager.apply(target);
        return decision;
    }

    /** Says once per change which members run another topology than the one that won, and who waits. */
    private void reportOtherTopologies(List<String> live, List<String> assignable,
                                       Map<String, TopologyVersions.MemberTopology> topologies) {
        List<String> others = live.stream().filter(id -> topologies.containsKey(id) && !assignable.contains(id)).toList();
        if (others.equals(lastOthers)) {
            return;
        }
        lastOthers = others;
        if (others.isEmpty()) {
            log.info("every live member runs the same topology again");
        } else if (others.contains(instanceId)) {
            log.warn("members {} run a newer topology (fingerprint {}; this instance runs {}): this instance "
                            + "hands its tasks over and waits; stop it once the new release runs (docs/OPERATIONS.md "
                            + "\"Joining, leaving, rolling updates\")", assignable,
                    assignable.isEmpty() ? "?" : topologies.get(assignable.get(0)).fingerprint(),
                    topologies.get(instanceId).fingerprint());
        } else {
            log.warn("members {} run another topology than the newest one (fingerprint {}): they are assigned "
                    + "no task until they are stopped", others, topologies.get(assignable.get(0)).fingerprint());
        }
    }
}
