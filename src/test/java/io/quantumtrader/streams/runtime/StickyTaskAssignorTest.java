package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The assignment every instance computes: balanced, sticky, spread, the same everywhere. No Redis. */
class StickyTaskAssignorTest {

    static List<TaskId> tasks(int subtopologies, int partitions) {
        List<TaskId> out = new ArrayList<>();
        for (int s = 0; s < subtopologies; s++) {
            for (int p = 0; p < partitions; p++) {
                out.add(new TaskId(s, p));
            }
        }
        return out;
    }

    @Test
    void threeInstancesOnSixPartitionsOwnTwoEach() {
        Map<String, SortedSet<TaskId>> a = StickyTaskAssignor.assign(List.of("c", "a", "b"), tasks(1, 6), Map.of());
        assertThat(a).containsOnlyKeys("a", "b", "c");
        a.values().forEach(t -> assertThat(t).hasSize(2));
        assertThat(StickyTaskAssignor.owners(a)).hasSize(6);
    }

    @Test
    void aSubtopologysTasksAreSpreadOverTheInstances() {
        Map<String, SortedSet<TaskId>> a = StickyTaskAssignor.assign(List.of("a", "b", "c"), tasks(2, 3), Map.of());
        a.values().forEach(t -> {
            assertThat(t).hasSize(2);
            assertThat(t.stream().map(TaskId::subtopology).distinct()).as("one task of each sub-topology").hasSize(2);
        });
    }

    @Test
    void aNewInstanceTakesItsShareFromTheOthersAndNothingElseMoves() {
        List<TaskId> all = tasks(1, 6);
        Map<String, SortedSet<TaskId>> two = StickyTaskAssignor.assign(List.of("a", "b"), all, Map.of());
        Map<TaskId, String> owners = StickyTaskAssignor.owners(two);
        Map<String, SortedSet<TaskId>> three = StickyTaskAssignor.assign(List.of("a", "b", "c"), all, owners);
        three.values().forEach(t -> assertThat(t).hasSize(2));
        int moved = 0;
        for (TaskId t : all) {
            if (!owners.get(t).equals(StickyTaskAssignor.owners(three).get(t))) {
                moved++;
                assertThat(StickyTaskAssignor.owners(three).get(t)).as("only to the new instance").isEqualTo("c");
            }
        }
        assertThat(moved).as("exactly the new instance's share moves").isEqualTo(2);
    }

    @Test
    void aTaskStaysWithItsLiveOwnerAndADeadOwnersTasksAreSpreadOverTheSurvivors() {
        List<TaskId> all = tasks(1, 6);
        Map<TaskId, String> owners = StickyTaskAssignor.owners(StickyTaskAssignor.assign(List.of("a", "b", "c"), all, Map.of()));
        Map<String, SortedSet<TaskId>> after = StickyTaskAssignor.assign(List.of("a", "c"), all, owners); // b died
        assertThat(after.get("a")).hasSize(3).containsAll(tasksOf(owners, "a"));
        assertThat(after.get("c")).hasSize(3).containsAll(tasksOf(owners, "c"));
    }

    @Test
    void theAssignmentIsStableOnceReachedAndTheSameWhateverTheInputOrder() {
        List<TaskId> all = tasks(3, 4);
        Map<TaskId, String> owners = StickyTaskAssignor.owners(StickyTaskAssignor.assign(List.of("x", "y"), all, Map.of()));
        Map<String, SortedSet<TaskId>> next = StickyTaskAssignor.assign(List.of("x", "y", "z"), all, owners);
        // applying it and computing again changes nothing (no flapping)
        assertThat(StickyTaskAssignor.assign(List.of("x", "y", "z"), all, StickyTaskAssignor.owners(next))).isEqualTo(next);
        // while tasks are being handed over (released, not yet taken) the owners map has holes: same result
        Map<TaskId, String> halfway = new HashMap<>(StickyTaskAssignor.owners(next));
        next.get("z").forEach(halfway::remove);
        assertThat(StickyTaskAssignor.assign(List.of("x", "y", "z"), all, halfway)).isEqualTo(next);
        List<TaskId> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(StickyTaskAssignor.assign(List.of("z", "y", "x"), shuffled, owners)).isEqualTo(next);
    }

    @Test
    void countsDifferByAtMostOneForAnyMembershipAndHistory() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            List<TaskId> all = tasks(1 + random.nextInt(3), 1 + random.nextInt(8));
            List<String> members = new ArrayList<>();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                members.add("m" + random.nextInt(10));
            }
            Map<TaskId, String> owners = new TreeMap<>();
            for (TaskId t : all) {
                if (random.nextBoolean()) {
                    owners.put(t, "m" + random.nextInt(10));
                }
            }
            Map<String, SortedSet<TaskId>> a = StickyTaskAssignor.assign(members, all, owners);
            int min = a.values().stream().mapToInt(SortedSet::size).min().orElseThrow();
            int max = a.values().stream().mapToInt(SortedSet::size).max().orElseThrow();
            assertThat(max - min).as("round %d", round).isLessThanOrEqualTo(1);
            assertThat(StickyTaskAssignor.owners(a).keySet()).as("every task exactly once").containsExactlyInAnyOrderElementsOf(all);
            assertThat(a.values().stream().mapToInt(SortedSet::size).sum()).isEqualTo(all.size());
            // a live owner keeps its task whenever its share allows
            for (String m : a.keySet()) {
                long had = owners.values().stream().filter(m::equals).count();
                long kept = a.get(m).stream().filter(t -> m.equals(owners.get(t))).count();
                assertThat(kept).isEqualTo(Math.min(had, a.get(m).size()));
            }
        }
    }

    @Test
    void noMembersNoAssignment() {
        assertThat(StickyTaskAssignor.assign(List.of(), tasks(1, 3), Map.of())).isEmpty();
    }

    private static List<TaskId> tasksOf(Map<TaskId, String> owners, String member) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(member)).map(Map.Entry::getKey).toList();
    }
}
