package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.internals.Subtopology;
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

    @Test
    void aGroupCreatedWhereAnUnusedOneOfTheApplicationStaysIsARenumbering() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(true, 1),
                List.of(List.of("pricing.0"), List.of("pricing.0")));
        assertThat(f.refusals()).singleElement().asString()
                .startsWith("sub-topology 1 (source a-in0) would create consumer group pricing.1 on stream 'a'")
                .contains("that group pricing.0 ");
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void twoReadersOfOneStreamKeepTheirGroups() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(false, 2),
                List.of(List.of("pricing.0", "pricing.1"), List.of("pricing.0", "pricing.1")));
        assertThat(f.refusals()).isEmpty();
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void aSecondReaderAddedAfterTheOthersIsNoRenumbering() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(false, 2),
                List.of(List.of("pricing.0"), List.of()));
        assertThat(f.refusals()).isEmpty();
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void aSubTopologyRemovedForGoodIsWarnedAboutNotRefused() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "a", readersOfA(false, 1),
                List.of(List.of("pricing.0", "pricing.1"), List.of("pricing.0", "pricing.1")));
        assertThat(f.refusals()).isEmpty();
        assertThat(f.warnings()).singleElement().asString()
                .startsWith("consumer group pricing.1 of stream 'a' in namespace 'ns' is read by no sub-topology")
                .contains("holds back").contains("XGROUP DESTROY");
    }

    @Test
    void aGroupLeftOnAStreamTheReleaseOnlyWritesIsWarnedAbout() {
        RenumberedSubtopologyCheck.Findings f = RenumberedSubtopologyCheck.judge("ns", "x", Map.of(),
                List.of(List.of("pricing.0")));
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
                List.of(List.of("pricing.1")));
        assertThat(f.refusals()).isEmpty();
    }
}
