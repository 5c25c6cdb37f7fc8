package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.stateful.TestEvents.Price;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user function's {@link AssertionError} (a failed {@code assert}, a test library's check in production code) or
 * {@link StackOverflowError} (deep recursion on one odd record) fails that record: dead-lettered naming the error, and
 * the records after it processed. Found in review (2026-12-07): only a RuntimeException failed the record; an error
 * failed the task, which read the same record again at each restart, for ever.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RecordErrorTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("record-error");
        b.stream("prices", Price.class, Named.as("prices"))
                .mapValues(p -> {
                    if (p.value() < 0) {
                        throw new AssertionError("a price is never negative: " + p.value());
                    }
                    if (p.value() == 0) {
                        return recurse(0);
                    }
                    return p;
                }, Named.as("checked"))
                .to("checked-prices");
        return b.build();
    }

    private static Price recurse(int depth) {
        return recurse(depth + 1);
    }

    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void anErrorOfAUserFunctionDeadLettersItsRecordAndTheOthersGoOn(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, topology())) {
            h.pipe("prices", "A", new Price(1), 1_000);
            h.pipe("prices", "B", new Price(-1), 2_000);
            h.pipe("prices", "C", new Price(0), 3_000);
            h.pipe("prices", "D", new Price(2), 4_000);
            h.flush();
            assertThat(h.values("checked-prices", Price.class)).containsExactly(new Price(1), new Price(2));
            List<Map<String, String>> dead = h.deadLetters("prices");
            assertThat(dead).extracting(f -> f.get("error.class"))
                    .containsExactly("java.lang.AssertionError", "java.lang.StackOverflowError");
            assertThat(dead.get(0).get("error.message")).isEqualTo("a price is never negative: -1.0");
        }
    }
}
