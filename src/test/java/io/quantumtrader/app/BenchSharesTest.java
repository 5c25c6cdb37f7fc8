package io.quantumtrader.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** {@link BenchCommand#shares}: a topology's rate against the plain loop and the raw XADD rate of the same run. */
class BenchSharesTest {

    @Test
    void namesBothSharesWhenRedisBenchmarkRan() {
        assertThat(BenchCommand.shares(94_911, 179_000, OptionalDouble.of(715_820)))
                .isEqualTo("53% of the plain loop, 13.3% of raw XADD");
    }

    @Test
    void namesThePlainLoopOnlyWithoutARawXaddRate() {
        assertThat(BenchCommand.shares(50_000, 200_000, OptionalDouble.empty())).isEqualTo("25% of the plain loop");
    }
}
