package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An output larger than the entry limit its consumers apply (64 KiB) is dead-lettered, not written, in the runtime and
 * in the test driver alike (found in review, 2026-12-05: the driver wrote it, so a test passed that the runtime fails).
 */
class OversizedOutputTest {

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void anOutputOverTheEntryLimitIsDeadLetteredNotWritten(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("oversized");
        b.stream("notes", String.class)
                .mapValues(v -> v.equals("big") ? "x".repeat(70_000) : v, Named.as("inflate"))
                .to("out", Named.as("out-sink"));
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("notes", "k", "small", 1);
            h.pipe("notes", "k", "big", 2);
            h.pipe("notes", "k", "after", 3);
            h.flush();
            assertThat(h.values("out", String.class)).containsExactly("small", "after");
            assertThat(h.deadLetters("notes")).singleElement()
                    .satisfies(d -> assertThat(d.get("error.message")).contains("larger than the limit of 65536 bytes"));
        }
    }
}
