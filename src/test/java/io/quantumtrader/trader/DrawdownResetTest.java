package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HARD_DERISK, on real ticks, without the kill switch: every signal is vetoed while the account is flat, for good —
 * flat, its marked equity is its realized equity, and nothing new may open — until the operator's reset, which
 * measures the drawdown from the current marked equity on: the account leaves HARD_DERISK as the kill-switch gate
 * applies the reset (published, the reason naming the re-base) and signals are approved again. Found in review (2026-12-05): the reset cleared only the kill switch, so an account in HARD_DERISK
 * or past the maximum drawdown could never trade again.
 */
class DrawdownResetTest {

    /** No kill switch (a 50 % daily limit), HARD_DERISK from a 1 % drawdown, no SOFT_DERISK. */
    static final RiskRules HARD_FROM_ONE_PERCENT = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 130.0, 20, false).withDerisk(0, 1.0, false);

    @Test
    void theOperatorsResetEndsHardDeRiskAndApprovalsResume() throws Exception {
        List<PriceTick> ticks = TradingFixtures.realTicks(60_000);
        RiskRules rules = HARD_FROM_ONE_PERCENT;
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            List<PriceTick> first = ticks.subList(0, 40_000);
            first.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            long resetAt = first.get(first.size() - 1).timestamp();

            var deRisk = driver.createOutputStream(QuantumTraderTopology.DERISK, DeRiskUpdate.class);
            List<DeRiskUpdate> changes = deRisk.readValuesToList();
            assertThat(changes).as("the account reached HARD_DERISK").last()
                    .satisfies(c -> assertThat(c.state()).isEqualTo("HARD_DERISK"));
            long hardAt = changes.get(changes.size() - 1).changedAt();
            List<RiskEvaluation> evaluations = driver.createOutputStream(QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class)
                    .readValuesToList();
            List<RiskEvaluation> whileHard = evaluations.stream().filter(e -> e.evaluatedAt() > hardAt + 3_600_000).toList();
            assertThat(whileHard).as("signals an hour after HARD_DERISK").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.decision()).isEqualTo(RiskEvaluation.Decision.VETOED));
            assertThat(driver.createOutputStream(QuantumTraderTopology.KILL_SWITCH, KillSwitch.class).readValuesToList())
                    .as("no kill switch").isEmpty();

            driver.createInputStream(QuantumTraderTopology.KILL_SWITCH)
                    .pipeInput("paper", new KillSwitch("paper", false, "reviewed: resume", 0, resetAt, true), resetAt);
            driver.endInput(QuantumTraderTopology.KILL_SWITCH);
            ticks.subList(40_000, 60_000).forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);

            // the first tick processed after the reset applies it; with event-time alignment the driver still held ticks
            // of an earlier event time, so the change is the first one produced after the reset, not the first one after its time
            List<DeRiskUpdate> after = deRisk.readValuesToList();
            assertThat(after).as("de-risk changes after the reset").isNotEmpty();
            assertThat(after.get(0).previous()).isEqualTo("HARD_DERISK");
            assertThat(after.get(0).state()).isEqualTo("NORMAL");
            assertThat(after.get(0).reason()).as("published as the re-base was applied").contains("re-based");
            assertThat(driver.createOutputStream(QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class).readValuesToList())
                    .as("approvals after the reset")
                    .anySatisfy(e -> {
                        assertThat(e.evaluatedAt()).isGreaterThan(after.get(0).changedAt());
                        assertThat(e.decision()).isNotEqualTo(RiskEvaluation.Decision.VETOED);
                    });
        }
    }

    /**
     * A reset is applied by the first tick after it, not only by the next signal: the kill-switch table keeps an
     * account's latest entry, so an activation published before that signal (here a tick's, imitated by the test)
     * replaced the reset and the re-base was lost — the account stayed in HARD_DERISK and the audit log never showed
     * the operator's command (found in review, 2026-12-06). The plain driver processes each record as it is piped, so
     * exactly one tick runs between the reset and the activation.
     */
    @Test
    void aResetIsAppliedByTheNextTickBeforeAnActivationReplacesItInTheTable() throws Exception {
        List<PriceTick> ticks = TradingFixtures.realTicks(60_000);
        RiskRules rules = HARD_FROM_ONE_PERCENT;
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build(RegimeRules.defaults(), rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.subList(0, 40_000).forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            List<DeRiskUpdate> changes = driver.createOutputStream(QuantumTraderTopology.DERISK, DeRiskUpdate.class).readValuesToList();
            assertThat(changes).as("the account reached HARD_DERISK").last()
                    .satisfies(c -> assertThat(c.state()).isEqualTo("HARD_DERISK"));
            var evaluations = driver.createOutputStream(QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class);
            var declines = driver.createOutputStream(QuantumTraderTopology.NO_SIGNALS, io.quantumtrader.trader.events.NoSignal.class);
            evaluations.readValuesToList();
            declines.readValuesToList();

            TestInputStream<KillSwitch> table = driver.createInputStream(QuantumTraderTopology.KILL_SWITCH);
            PriceTick next = ticks.get(40_000);
            table.pipeInput("paper", new KillSwitch("paper", false, "reviewed: resume", 0, next.timestamp(), true), next.timestamp());
            in.pipeInput(next.symbol(), next, next.timestamp());
            assertThat(evaluations.readValuesToList()).as("no signal judged between the reset and the activation").isEmpty();
            assertThat(declines.readValuesToList()).as("no signal declined between the reset and the activation").isEmpty();
            table.pipeInput("paper", new KillSwitch("paper", true, "daily loss limit", 50.0, next.timestamp() + 1), next.timestamp() + 1);
            ticks.subList(40_001, 60_000).forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));

            List<DeRiskUpdate> after = driver.createOutputStream(QuantumTraderTopology.DERISK, DeRiskUpdate.class).readValuesToList()
                    .stream().filter(c -> c.changedAt() >= next.timestamp()).toList();
            assertThat(after).as("de-risk changes after the reset").isNotEmpty();
            assertThat(after.get(0).previous()).isEqualTo("HARD_DERISK");
            assertThat(after.get(0).state()).isEqualTo("NORMAL");
            assertThat(after.get(0).reason()).contains("re-based");
            assertThat(after.get(0).changedAt()).as("at the tick after the reset").isEqualTo(next.timestamp());
            assertThat(driver.createOutputStream(QuantumTraderTopology.AUDIT, io.quantumtrader.trader.events.AuditEntry.class)
                    .readValuesToList()).as("the operator's command in the audit log")
                    .anySatisfy(a -> {
                        assertThat(a.decisionType()).isEqualTo("KILL_SWITCH_COMMAND");
                        assertThat(a.summary()).contains("reviewed: resume");
                    });
        }
    }
}
