package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.TopologyException;
import io.quantumtrader.streams.stateful.TestEvents.Tick;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A source whose values name their own subject ({@code requireSubject}) refuses an entry keyed by another one: a tick
 * keyed ETH carrying a BTC price is dead-lettered at the source instead of reaching ETH's candles and positions.
 * Found in review (2026-12-06): the trading portfolio marked the position of the record key at the tick's price.
 */
class RequireSubjectTest {

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void anEntryWhoseValueNamesAnotherSubjectIsDeadLetteredAtTheSource(Harness.Mode mode) {
        TopologyBuilder b = new TopologyBuilder("require-subject");
        b.stream("ticks", Tick.class, Named.as("ticks")).requireSubject(t -> {
                    if (t.size() < 0) {
                        throw new IllegalArgumentException("negative size");
                    }
                    return t.symbol();
                })
                .mapValues(Tick::price, Named.as("price"))
                .to("prices");
        try (Harness h = Harness.of(mode, b.build())) {
            h.pipe("ticks", "BTC", new Tick("BTC", 100, 1), 1_000);
            h.pipe("ticks", "ETH", new Tick("BTC", 101, 1), 2_000);   // mis-keyed
            h.pipe("ticks", "ETH", new Tick("ETH", 5, -1), 2_500);  // the function throws: refused, not a task failure
            h.pipe("ticks", "ETH", new Tick("ETH", 5, 1), 3_000);
            h.flush();
            assertThat(h.values("prices", Double.class)).containsExactly(100.0, 5.0);
            assertThat(h.deadLetters("ticks")).hasSize(2).allSatisfy(d -> assertThat(d.get("error.reason")).isEqualTo("invalid_value"))
                    .extracting(d -> d.get("error.message"))
                    .containsExactly("the value names subject 'BTC' but the entry's subject is 'ETH'",
                            "the value's subject cannot be read: negative size");
        }
    }

    @Test
    void onlyASourceCanRequireASubject() {
        TopologyBuilder b = new TopologyBuilder("require-subject-not-source");
        assertThatThrownBy(() -> b.stream("ticks", Tick.class, Named.as("ticks"))
                .mapValues(t -> t, Named.as("same")).requireSubject(Tick::symbol))
                .isInstanceOf(TopologyException.class).hasMessageContaining("not to 'same'");
    }
}
