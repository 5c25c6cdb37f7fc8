package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.NoSignal;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionOpened;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.market.TradesCsv;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Losing trades on real ticks trip the kill switch at the configured daily loss limit, and every stage reacts:
 * the event and a CRITICAL alert are published, signals stop, nothing new is approved or opened, until the operator's
 * reset.
 */
class KillSwitchTest {

    @Test
    void theDailyLossLimitTripsTheKillSwitchAndEveryStageStops() throws Exception {
        List<PriceTick> ticks;
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            ticks = TradesCsv.read(in, "BTC-USD").ticks().subList(0, 30_000);
        }
        RiskRules rules = RiskRules.of(100_000, 1.0, 1.5, 50.0, 3, 100.0, 20, false);   // 1.5 % daily loss limit
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));

            List<KillSwitch> kills = driver.createOutputStream(QuantumTraderTopology.KILL_SWITCH, KillSwitch.class).readValuesToList();

            assertThat(kills).hasSize(1);
            KillSwitch kill = kills.get(0);
            assertThat(kill.dailyLossPct()).isGreaterThanOrEqualTo(1.5);
            assertThat(kill.reason()).contains(">= 1.5% limit");

            List<PositionClosed> closed = driver.createOutputStream(QuantumTraderTopology.CLOSED, PositionClosed.class).readValuesToList();
            double lossBefore = closed.stream().filter(c -> c.closedAt() <= kill.activatedAt()).mapToDouble(PositionClosed::realizedPnl).sum();
            assertThat(-lossBefore).isGreaterThanOrEqualTo(1_500);

            assertThat(driver.createOutputStream(QuantumTraderTopology.ALERTS, Map.class).readValuesToList())
                    .singleElement().satisfies(a -> assertThat(a.get("severity")).isEqualTo("CRITICAL"));
            assertThat(driver.createOutputStream(QuantumTraderTopology.OPENED, PositionOpened.class).readValuesToList())
                    .allSatisfy(o -> assertThat(o.openedAt()).isLessThanOrEqualTo(kill.activatedAt()));
            assertThat(driver.createOutputStream(QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class).readValuesToList())
                    .allSatisfy(e -> assertThat(e.evaluatedAt()).isLessThanOrEqualTo(kill.activatedAt()));
            List<NoSignal> declines = driver.createOutputStream(QuantumTraderTopology.NO_SIGNALS, NoSignal.class).readValuesToList();
            // the gate is in the portfolio: every signal of the market-data layer after the activation is declined there
            List<Long> signalsAfter = driver.createOutputStream(QuantumTraderTopology.SIGNALS, Signal.class).readValuesToList()
                    .stream().map(Signal::candleEnd).filter(end -> end > kill.activatedAt()).toList();
            assertThat(declines.stream().filter(d -> d.gate().equals("kill_switch_active")).map(NoSignal::candleEnd).toList())
                    .isNotEmpty().containsExactlyElementsOf(signalsAfter);
            List<Map> audit = driver.createOutputStream(QuantumTraderTopology.AUDIT, Map.class).readValuesToList();
            assertThat(audit).anySatisfy(a -> assertThat(a.get("decision_type")).isEqualTo("KILL_SWITCH"));
            // every decline of the gate is a decision in the audit log too (found in review, 2026-12-05: it was not)
            assertThat(audit.stream().filter(a -> "GATE".equals(a.get("decision_type"))).map(a -> a.get("summary")).toList())
                    .hasSize((int) declines.stream().filter(d -> d.gate().equals("kill_switch_active")).count())
                    .containsOnly("declined: kill_switch_active");

            // the operator resets it: signals flow again (approvals resume once the daily loss dimension allows)
            long resetAt = ticks.get(ticks.size() - 1).timestamp();
            driver.createInputStream(QuantumTraderTopology.KILL_SWITCH)
                    .pipeInput("paper", new KillSwitch("paper", false, "reset by operator", 0, resetAt), resetAt);
            // operator commands never hold the ticks: the reset command publishes no watermark, so the input is the
            // portfolio's own kill switch read back (not waited for); the driver's piped watermark is ended here
            driver.endInput(QuantumTraderTopology.KILL_SWITCH);
            List<PriceTick> later;
            try (InputStream csv = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
                later = TradesCsv.read(csv, "BTC-USD").ticks().subList(30_000, 45_000);
            }
            later.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);
            List<NoSignal> afterReset = driver.createOutputStream(QuantumTraderTopology.NO_SIGNALS, NoSignal.class).readValuesToList()
                    .stream().filter(d -> d.candleEnd() > resetAt).toList();
            assertThat(afterReset).isNotEmpty();
            assertThat(afterReset.get(0).gate()).isNotEqualTo("kill_switch_active");
            // if losses trip it again, declines say so only after that second activation
            List<KillSwitch> allKills = driver.createOutputStream(QuantumTraderTopology.KILL_SWITCH, KillSwitch.class).readValuesToList()
                    .stream().filter(KillSwitch::active).toList();
            long secondKill = allKills.size() > 1 ? allKills.get(1).activatedAt() : Long.MAX_VALUE;
            assertThat(afterReset).filteredOn(d -> d.gate().equals("kill_switch_active"))
                    .allSatisfy(d -> assertThat(d.candleEnd()).isGreaterThanOrEqualTo(secondKill));
            assertThat(driver.createOutputStream(QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class).readValuesToList())
                    .anySatisfy(e -> assertThat(e.evaluatedAt()).isGreaterThan(resetAt));
            assertThat(driver.createOutputStream(QuantumTraderTopology.AUDIT, Map.class).readValuesToList())
                    .anySatisfy(a -> assertThat(a.get("decision_type")).isEqualTo("KILL_SWITCH_COMMAND"));
        }
    }
}
