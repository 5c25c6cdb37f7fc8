package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.AuditEntry;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log gives an approval's EVALUATION before its SIZING (cause before effect). The audit is a merge, which
 * keeps Kafka Streams' depth-first order since 2026-12-06; with the evaluation's audit node added after the sizer, the
 * SIZING entry of each approval came first (found in review, 2026-12-06). On 20,000 real ticks.
 */
class AuditOrderTest {

    @Test
    void anApprovalsEvaluationComesBeforeItsSizing() {
        List<PriceTick> ticks = TradingFixtures.realTicks(20_000);
        List<AuditEntry> audit;
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build())) {
            var in = driver.<PriceTick>createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);
            audit = driver.createOutputStream(QuantumTraderTopology.AUDIT, AuditEntry.class).readValuesToList();
        }
        List<String> sizings = audit.stream().filter(a -> a.decisionType().equals("SIZING")).map(AuditEntry::decisionId).toList();
        assertThat(sizings).as("approvals sized on these ticks").isNotEmpty();
        for (String requestId : sizings) {
            String evaluationId = "eval-" + requestId.substring("req-".length());
            int evaluation = indexOf(audit, "EVALUATION", evaluationId);
            int sizing = indexOf(audit, "SIZING", requestId);
            assertThat(evaluation).as("the evaluation of %s is audited", requestId).isNotNegative();
            assertThat(evaluation).as("%s after its evaluation", requestId).isLessThan(sizing);
        }
    }

    private static int indexOf(List<AuditEntry> audit, String type, String id) {
        for (int i = 0; i < audit.size(); i++) {
            if (audit.get(i).decisionType().equals(type) && audit.get(i).decisionId().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
