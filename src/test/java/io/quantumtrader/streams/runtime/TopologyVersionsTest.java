package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.runtime.TopologyVersions.MemberTopology;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TopologyVersions}: the topology first run latest wins. */
class TopologyVersionsTest {

    @Test
    void membersOfTheTopologyThatJoinedLastAreAssignable() {
        Map<String, MemberTopology> details = Map.of(
                "a", new MemberTopology("old", 1_000), "b", new MemberTopology("old", 2_000),
                "c", new MemberTopology("new", 3_000), "d", new MemberTopology("new", 1_500));
        assertThat(TopologyVersions.assignable(List.of("a", "b", "c", "d"), details)).containsExactly("c", "d");
        // a rollback: the old release joins again, last
        Map<String, MemberTopology> rolledBack = new java.util.HashMap<>(details);
        rolledBack.put("e", new MemberTopology("old", 4_000));
        assertThat(TopologyVersions.assignable(List.of("a", "b", "c", "d", "e"), rolledBack)).containsExactly("a", "b", "e");
    }

    @Test
    void aTieGoesToTheLargerIdAndMembersWithoutDetailsWait() {
        Map<String, MemberTopology> details = Map.of("a", new MemberTopology("x", 5), "b", new MemberTopology("y", 5));
        assertThat(TopologyVersions.assignable(List.of("a", "b", "c"), details)).containsExactly("b");
        assertThat(TopologyVersions.assignable(List.of("a", "c"), Map.of("a", new MemberTopology("x", 5))))
                .containsExactly("a");
        assertThat(TopologyVersions.assignable(List.of("c"), Map.of())).isEmpty();
    }

    @Test
    void theFingerprintDependsOnTheDescriptionAndThePartitions() {
        List<TaskId> four = List.of(new TaskId(0, 0), new TaskId(0, 1), new TaskId(0, 2), new TaskId(0, 3));
        String f = TopologyVersions.fingerprint("Sub-topology: 0", four);
        assertThat(f).hasSize(16).isEqualTo(TopologyVersions.fingerprint("Sub-topology: 0", List.of(four.get(3), four.get(2),
                four.get(1), four.get(0))));
        assertThat(TopologyVersions.fingerprint("Sub-topology: 0", four.subList(0, 2))).isNotEqualTo(f);
        assertThat(TopologyVersions.fingerprint("Sub-topology: 1", four)).isNotEqualTo(f);
    }
}
