package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The topologies recorded as first run after this instance's ({@code <ns>:topologies}, fingerprint → epoch ms). */
class NewerTopologiesTest {

    @Test
    void namesTheTopologiesFirstRunLaterOldestFirst() {
        Map<String, String> recorded = Map.of("old", "1000", "new", "3000", "newer", "5000", "older", "500");
        assertThat(NewerTopologies.describe(recorded, "old")).isEqualTo("topology new (first ran 1970-01-01T00:00:03Z), "
                + "topology newer (first ran 1970-01-01T00:00:05Z)");
    }

    @Test
    void noneForTheNewestOrAnUnrecordedTopology() {
        Map<String, String> recorded = Map.of("old", "1000", "new", "3000");
        assertThat(NewerTopologies.describe(recorded, "new")).isEmpty();
        // its first start in the namespace (it becomes the newest), or the hash was lost
        assertThat(NewerTopologies.describe(recorded, "unrecorded")).isEmpty();
        assertThat(NewerTopologies.describe(Map.of("old", "1000", "bad", "x"), "old")).isEmpty();
    }
}
