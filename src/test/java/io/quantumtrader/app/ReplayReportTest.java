package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayReportTest {

    @Test
    void vetoReasonsGroupByRuleNotByFigure() {
        assertThat(ReplayReport.vetoReasonKey("drawdown 10.34% reached the 10.0% limit"))
                .isEqualTo(ReplayReport.vetoReasonKey("drawdown 12.01% reached the 10.0% limit"))
                .isEqualTo("drawdown #% reached the #% limit");
        assertThat(ReplayReport.vetoReasonKey("edge score 0.31 < 0.5")).isEqualTo("edge score # < #");
        assertThat(ReplayReport.vetoReasonKey("a position in BTC-USD is open")).isEqualTo("a position in BTC-USD is open");
        assertThat(ReplayReport.vetoReasonKey(null)).isEqualTo("(no reason given)");
    }

    @Test
    void mostFrequentFirst() {
        assertThat(ReplayReport.sortedByCount(Map.of("b", 1L, "a", 5L, "c", 5L)).keySet()).containsExactly("a", "c", "b");
    }
}
