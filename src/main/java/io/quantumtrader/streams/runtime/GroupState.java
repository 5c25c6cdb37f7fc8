package io.quantumtrader.streams.runtime;

import java.util.List;
import java.util.Map;

/**
 * The group of instances as this instance last saw it (for health details and operators).
 *
 * @param instanceId this instance (its consumer name and member id)
 * @param members    live members at the last rebalance step, sorted
 * @param assignment the assignment computed then: member → task ids ({@code <sub-topology>_<partition>})
 * @param tasks      the state of every task on this instance, by task id
 * @param rebalances how often this instance's share of the tasks changed since it started
 * @param failing    tasks of this instance that failed and committed nothing since, by task id: why
 *                   ({@link StreamTask#failingWith()})
 * @param pausedInputs tasks of this instance that do not read some of their inputs because event-time alignment holds
 *                   {@link InputAlignment#maxHeldPerInput()} of their records, by task id: those inputs (their entries
 *                   wait in Redis, unread; {@link StreamTask#pausedInputs()})
 */
public record GroupState(String instanceId, List<String> members, Map<String, List<String>> assignment,
                         Map<String, TaskState> tasks, long rebalances, Map<String, String> failing,
                         Map<String, List<String>> pausedInputs) {

    /** A group state with no task whose reads are paused. */
    public GroupState(String instanceId, List<String> members, Map<String, List<String>> assignment,
                      Map<String, TaskState> tasks, long rebalances, Map<String, String> failing) {
        this(instanceId, members, assignment, tasks, rebalances, failing, Map.of());
    }

    /** A group state with no failing task. */
    public GroupState(String instanceId, List<String> members, Map<String, List<String>> assignment,
                      Map<String, TaskState> tasks, long rebalances) {
        this(instanceId, members, assignment, tasks, rebalances, Map.of());
    }
}
