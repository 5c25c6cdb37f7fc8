package io.quantumtrader.streams.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Sticky, balanced assignment of tasks to live instances (after Kafka Streams' {@code StickyTaskAssignor}). A pure
 * function of its inputs, so every instance that reads the same membership and lease owners from Redis computes the
 * same assignment, with no leader:
 * <ul>
 *   <li><b>balanced</b>: task counts of two members differ by at most one;</li>
 *   <li><b>sticky</b>: a task stays with its current owner while that owner is live and within its share; only the
 *       tasks needed to balance move (a new member takes its share from the most loaded members);</li>
 *   <li><b>spread</b>: a task that moves goes to the member with the fewest tasks of the same sub-topology, so a
 *       sub-topology's partitions are spread over the instances.</li>
 * </ul>
 */
public final class StickyTaskAssignor {

    private StickyTaskAssignor() {
    }

    /**
     * @param members        live instance ids (order does not matter)
     * @param tasks          every task of the topology
     * @param previousOwners current lease owner per task (tasks without owner may be absent); owners that are not
     *                       members are ignored
     * @return each member's tasks (every member present, possibly with none); every task is assigned to exactly one
     *         member, or none at all when there are no members
     */
    public static Map<String, SortedSet<TaskId>> assign(Collection<String> members, Collection<TaskId> tasks,
                                                        Map<TaskId, String> previousOwners) {
        List<String> sortedMembers = members.stream().distinct().sorted().toList();
        Map<String, SortedSet<TaskId>> result = new LinkedHashMap<>();
        sortedMembers.forEach(m -> result.put(m, new TreeSet<>()));
        if (sortedMembers.isEmpty()) {
            return result;
        }
        List<TaskId> allTasks = tasks.stream().distinct().sorted().toList();
        Map<String, List<TaskId>> previous = new HashMap<>();
        for (TaskId t : allTasks) {
            String owner = previousOwners.get(t);
            if (owner != null && result.containsKey(owner)) {
                previous.computeIfAbsent(owner, o -> new ArrayList<>()).add(t);
            }
        }
        Map<String, Integer> quota = quotas(sortedMembers, allTasks.size(), previous);

        // sticky: each member keeps what it owns, up to its quota, keeping its sub-topologies as varied as possible
        TreeSet<TaskId> unassigned = new TreeSet<>(allTasks);
        for (String m : sortedMembers) {
            List<TaskId> own = new ArrayList<>(previous.getOrDefault(m, List.of()));
            own.sort(Comparator.comparingInt(TaskId::partition).thenComparingInt(TaskId::subtopology));
            SortedSet<TaskId> kept = result.get(m);
            while (kept.size() < quota.get(m) && !own.isEmpty()) {
                TaskId next = own.stream()
                        .min(Comparator.comparingLong((TaskId t) -> countOf(kept, t.subtopology())))
                        .orElseThrow();
                own.remove(next);
                kept.add(next);
                unassigned.remove(next);
            }
        }
        // the rest, in sub-topology then partition order, to the member with room and the fewest of that sub-topology
        for (TaskId t : unassigned) {
            String target = sortedMembers.stream()
                    .filter(m -> result.get(m).size() < quota.get(m))
                    .min(Comparator.comparingLong((String m) -> countOf(result.get(m), t.subtopology()))
                            .thenComparingInt(m -> result.get(m).size())
                            .thenComparing(Comparator.naturalOrder()))
                    .orElseThrow();
            result.get(target).add(t);
        }
        return result;
    }

    /** @return the member each task is assigned to (inverse of an assignment) */
    public static Map<TaskId, String> owners(Map<String, ? extends Collection<TaskId>> assignment) {
        Map<TaskId, String> owners = new TreeMap<>();
        assignment.forEach((member, tasks) -> tasks.forEach(t -> owners.put(t, member)));
        return owners;
    }

    /**
     * Every member gets {@code tasks / members}; the remainder goes one each to the members that own the most tasks
     * now (then by id), so balancing moves as few tasks as possible and every instance picks the same members.
     */
    private static Map<String, Integer> quotas(List<String> members, int tasks, Map<String, List<TaskId>> previous) {
        int base = tasks / members.size();
        int extra = tasks % members.size();
        List<String> byLoad = new ArrayList<>(members);
        byLoad.sort(Comparator.comparingInt((String m) -> -previous.getOrDefault(m, List.of()).size())
                .thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> quota = new HashMap<>();
        for (int i = 0; i < byLoad.size(); i++) {
            quota.put(byLoad.get(i), base + (i < extra ? 1 : 0));
        }
        return quota;
    }

    private static long countOf(Collection<TaskId> tasks, int subtopology) {
        Objects.requireNonNull(tasks);
        return tasks.stream().filter(t -> t.subtopology() == subtopology).count();
    }
}
