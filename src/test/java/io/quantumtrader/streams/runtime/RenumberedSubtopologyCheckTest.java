package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.redis.StreamAdmin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule of {@link RenumberedSubtopologyCheck} on the groups found per partition (plain Java). */
class RenumberedSubtopologyCheckTest {

    /** group → sub-topology of each sub-topology of a topology with {@code readersOfA} readers of 'a' after one of 'b'. */
    private static Map<String, Subtopology> readersOfA(boolean bFirst, int readersOfA) {
        TopologyBuilder b = new TopologyBuilder("pricing");
        if (bFirst) {
            b.stream("b", Tick.class, Named.as("b-in")).to("out-b", Named.as("out-b-sink"));
        }
        for (int i = 0; i < readersOfA; i++) {
            b.stream("a", Tick.class, Named.as("a-in" + i)).to("out" + i, Named.as("out-sink" + i));
        }
        Map<String, Subtopology> wanted = new TreeMap<>();
        b.build().taskSubtopologies().stream().filter(s -> s.sourceStreams().contains("a"))
                .forEach(s -> wanted.put("pricing." + s.id(), s));
        return wanted;
    }

    /** One partition's groups per argument, none with a recorded reader (groups made before the record existed). */
    @SafeVarargs
    private static List<StreamAdmin.StreamGroups> groups(List<String>... perPartition) {
        return java.util.Arrays.stream(perPartition).map(g -> new StreamAdmin.StreamGroups("stream", 0, g)).toList();
    }

    /** One partition's groups with the source each was made for. */
    private static StreamAdmin.StreamGroups recorded(Map<String, String> readers) {
        return new StreamAdmin.StreamGroups("stream", 0, List.copyOf(new TreeMap<>(readers).keySet()), readers);
    }

    @Test
    void twoReadersOfOneStreamThatSwappedTheirIdsAreRefused() {
        // recorded by the release where a-in0 was sub-topology 0; now a-in1 comes first
        Map<String, Subtopology> swapped = new TreeMap<>();
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in1")).to("out1", Named.as("out-sink1"));
        b.stream("a", Tick.class, Named.as("a-in0")).to("out0", Named.as("out-sink0"));
        b.build().taskSubtopologies().forEach(s -> swapped.put("pricing." + s.id(), s));
        StreamAdmin.StreamGroups p = recorded(Map.of("pricing.0", "a-in0", "pricing.1", "a-in1"));
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", swapped, List.of(p, p));
        assertThat(f.refusals()).containsExactly(
                "consumer group pricing.0 of stream 'a' was made for source a-in0, but sub-topology 0 reads it with "
                        + "source a-in1 and would resume a-in0's position and dedupe log: the release swapped or replaced "
                        + "sub-topologies on 'a'. Keep the order of the sub-topologies reading it (and a renamed source's "
                        + "old name); if a-in1 is new there, XGROUP DESTROY pricing.0 on every "
                        + "partition of 'a' (docs/OPERATIONS.md \"Releases that change the topology\")",
                "consumer group pricing.1 of stream 'a' was made for source a-in1, but sub-topology 1 reads it with "
                        + "source a-in0 and would resume a-in1's position and dedupe log: the release swapped or replaced "
                        + "sub-topologies on 'a'. Keep the order of the sub-topologies reading it (and a renamed source's "
                        + "old name); if a-in0 is new there, XGROUP DESTROY pricing.1 on every "
                        + "partition of 'a' (docs/OPERATIONS.md \"Releases that change the topology\")");
    }

    @Test
    void theSameSourcesResumeAndAGroupWithoutARecordIsNotJudged() {
        Map<String, Subtopology> same = readersOfA(false, 2);
        assertThat(RenumberedSubtopologyCheck.judge("ns", "a", same,
                List.of(recorded(Map.of("pricing.0", "a-in0", "pricing.1", "a-in1")))).refusals()).isEmpty();
        assertThat(RenumberedSubtopologyCheck.judge("ns", "a", same,
                List.of(recorded(Map.of("pricing.0", "a-in0")), new StreamAdmin.StreamGroups("stream", 0,
                        List.of("pricing.0", "pricing.1")))).refusals()).isEmpty();
    }

    @Test
    void generatedSourceNamesAreNeitherRecordedNorCompared() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class).to("out");
        Subtopology unnamed = b.build().taskSubtopologies().get(0);
        assertThat(RenumberedSubtopologyCheck.readerOf(unnamed, "a")).isEmpty();
        assertThat(RenumberedSubtopologyCheck.judge("ns", "a", Map.of("pricing.0", unnamed),
                List.of(recorded(Map.of("pricing.0", "a-in0")))).refusals()).isEmpty();
        assertThat(RenumberedSubtopologyCheck.readerOf(readersOfA(false, 1).get("pricing.0"), "a")).isEqualTo("a-in0");
    }

    @Test
    void aStreamReadBySeveralSubTopologiesThroughAnUnnamedSourceIsWarnedAbout() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("a", Tick.class, Named.as("a-in")).to("out");
        b.stream("a", Tick.class).to("audit");
        Map<String, Subtopology> wanted = new TreeMap<>();
        b.build().taskSubtopologies().forEach(s -> wanted.put("pricing." + s.id(), s));
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", wanted,
                groups(List.of("pricing.0", "pricing.1")));
        assertThat(f.refusals()).isEmpty();
        assertThat(f.warnings()).singleElement().asString()
                .startsWith("stream 'a' is read by 2 sub-topologies, and the source of sub-topology 1 has a generated name")
                .contains("Named.as");
        // one unnamed reader alone: nothing to tell apart
        assertThat(RenumberedSubtopologyCheck.judge("ns", "a", Map.of("pricing.1", wanted.get("pricing.1")),
                groups(List.of("pricing.1"))).warnings()).isEmpty();
    }

    @Test
    void aGroupCreatedWhereAnUnusedOneOfTheApplicationStaysIsARenumbering() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(true, 1),
                groups(List.of("pricing.0"), List.of("pricing.0")));
        assertThat(f.refusals()).singleElement().asString()
                .startsWith("sub-topology 1 (source a-in0) would create consumer group pricing.1 on stream 'a'")
                .contains("that group pricing.0 ");
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void twoReadersOfOneStreamKeepTheirGroups() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(false, 2),
                groups(List.of("pricing.0", "pricing.1"), List.of("pricing.0", "pricing.1")));
        assertThat(f.refusals()).isEmpty();
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void aSecondReaderAddedAfterTheOthersIsNoRenumbering() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(false, 2),
                groups(List.of("pricing.0"), List.of()));
        assertThat(f.refusals()).isEmpty();
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void aSubTopologyRemovedForGoodIsWarnedAboutNotRefused() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(false, 1),
                groups(List.of("pricing.0", "pricing.1"), List.of("pricing.0", "pricing.1")));
        assertThat(f.refusals()).isEmpty();
        assertThat(f.warnings()).singleElement().asString()
                .startsWith("consumer group pricing.1 of stream 'a' in namespace 'ns' is read by no sub-topology")
                .contains("holds back").contains("XGROUP DESTROY");
    }

    @Test
    void aGroupLeftOnAStreamTheReleaseOnlyWritesIsWarnedAbout() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "x", Map.of(),
                groups(List.of("pricing.0")));
        assertThat(f.refusals()).isEmpty();
        assertThat(f.warnings()).singleElement().asString().startsWith("consumer group pricing.0 of stream 'x'");
    }

    @Test
    void otherApplicationsGroupsAreNotThisApplications() {
        assertThat(RenumberedSubtopologyCheck.ofApplication("pricing", "pricing.3")).isTrue();
        assertThat(RenumberedSubtopologyCheck.ofApplication("pricing", "pricing.v2.0")).isFalse();
        assertThat(RenumberedSubtopologyCheck.ofApplication("pricing", "pricing.")).isFalse();
        assertThat(RenumberedSubtopologyCheck.ofApplication("pricing", "risk.0")).isFalse();
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(true, 1),
                groups(List.of("pricing.1")));
        assertThat(f.refusals()).isEmpty();
    }

    @Test
    void theRecordOfAStreamPartitionsGroupsIsInThePartitionsRedisClusterSlot() {
        String key = new io.quantumtrader.streams.redis.StreamKeys("qt").stream("ticks", 3);
        assertThat(io.quantumtrader.streams.redis.StreamKeys.groupReaders(key)).isEqualTo("qt:{qt.3}:group-readers:ticks");
        assertThat(io.lettuce.core.cluster.SlotHash.getSlot(io.quantumtrader.streams.redis.StreamKeys.groupReaders(key)))
                .isEqualTo(io.lettuce.core.cluster.SlotHash.getSlot(key));
        assertThat(io.quantumtrader.streams.redis.StreamKeys.dedupeOf(key, "pricing.1"))
                .isEqualTo(new io.quantumtrader.streams.redis.StreamKeys("qt").dedupe("pricing.1", 3));
    }
}
