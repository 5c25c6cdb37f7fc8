package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayReportTest {

    @Test
    void vetoReasonsGroupByRuleAndKeepTheFiguresTheyShare() {
        ReasonGroups groups = new ReasonGroups();
        groups.add("drawdown 10.34% reached the 10.0% limit");
        groups.add("drawdown 12.01% reached the 10.0% limit");
        groups.add("gross exposure cap 130% reached (incl. pending orders)");
        groups.add("edge score 0.31 < 0.5");
        groups.add("edge score 0.31 < 0.5");
        groups.add("edge score 0.2 < 0.5");
        groups.add("edge score 1e-3 < 0.5");
        groups.add("a position in BTC-USD is open");
        groups.add("order #12 refused at 5%");
        groups.add("order #13 refused at 5%");
        groups.add(null);
        groups.add(" ");
        assertThat(groups.counts()).containsExactly(
                Map.entry("edge score # < 0.5", 4L),
                Map.entry("(no reason given)", 2L),
                Map.entry("drawdown #% reached the 10.0% limit", 2L),
                Map.entry("order ## refused at 5%", 2L),
                Map.entry("a position in BTC-USD is open", 1L),
                Map.entry("gross exposure cap 130% reached (incl. pending orders)", 1L));
        assertThat(ReasonGroups.rule("drawdown 10.34% reached the -1.5e-2% limit")).isEqualTo("drawdown #% reached the #% limit");
    }

    @Test
    void mostFrequentFirst() {
        assertThat(ReplayReport.sortedByCount(Map.of("b", 1L, "a", 5L, "c", 5L)).keySet()).containsExactly("a", "c", "b");
    }
}
