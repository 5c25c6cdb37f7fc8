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
 */
public record GroupState(String instanceId, List<String> members, Map<String, List<String>> assignment,
                         Map<String, TaskState> tasks, long rebalances) {
}
