package io.quantumtrader.trader;

import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08, hostile input, round 2): malformed kill-switch resets written by a foreign client into
 * risk.kill_switch.activated under the table's key "paper". The KillSwitch value has no checks and the global table
 * does not compare the value's account with the entry's subject, so:
 * <ul>
 *   <li>account "" (or null, or any text that cannot be a subject): the reset is applied — the kill switch is turned
 *   off and trading resumes — but its KILL_SWITCH_COMMAND audit entry is keyed by the blank account, refused by the
 *   audit sink, and lands as a dead letter charged to a valid tick of the repartition stream: an unaudited reset;</li>
 *   <li>a reason that fills the entry (~65.2 KB; kill-switch-reset --reason has no bound either): the entry fits the
 *   64 KiB limit, the audit entry "reset by jane: <reason>" does not: applied, unaudited;</li>
 *   <li>account "other": a reset naming another account turns the paper account's kill switch off.</li>
 * </ul>
 */
class ForgedKillSwitchResetTest {

    record Outcome(boolean tradingResumed, boolean audited, List<Map<String, String>> deadLetters) {
    }

    static Outcome tripThenReset(String account) {
        return tripThenReset(account, "forged");
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static Outcome tripThenReset(String account, String reason) {
        try {
            return tripThenResetOrFail(account, reason);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Outcome tripThenResetOrFail(String account, String reason) throws com.fasterxml.jackson.core.JsonProcessingException {
        List<PriceTick> ticks = TradingFixtures.realTicks(45_000);
        RiskRules rules = RiskRules.of(100_000, 1.0, 1.5, 50.0, 3, 100.0, 20, false);   // 1.5 % daily loss limit (KillSwitchTest)
        io.quantumtrader.streams.dsl.Topology topology = QuantumTraderTopology.build(RegimeRules.defaults(), rules);
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(topology)) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.subList(0, 30_000).forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            assertThat(driver.createOutputStream(QuantumTraderTopology.KILL_SWITCH, KillSwitch.class).readValuesToList())
                    .as("the kill switch tripped before the reset").hasSize(1);
            long resetAt = ticks.get(29_999).timestamp();
            // as a foreign client writes it: the record's own checks would refuse to build it here
            Map<String, Object> forged = new java.util.LinkedHashMap<>(JSON.readValue(new io.quantumtrader.streams.record
                    .JsonSerde<>(KillSwitch.class).serialize(new KillSwitch("paper", false, "valid", 0, resetAt, false, "jane")),
                    Map.class));
            forged.put("account", account);
            forged.put("reason", reason);
            driver.createInputStream(QuantumTraderTopology.KILL_SWITCH).pipeEntry(CloudEventJson.flatten(EnvelopeCodec.encode(
                    QuantumTraderTopology.KILL_SWITCH, "ops", "forged-1", "paper", forged, resetAt, null)));
            driver.endInput(QuantumTraderTopology.KILL_SWITCH);
            ticks.subList(30_000, 45_000).forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);
            boolean resumed = driver.createOutputStream(QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class).readValuesToList()
                    .stream().anyMatch(e -> e.evaluatedAt() > resetAt);
            boolean audited = driver.createOutputStream(QuantumTraderTopology.AUDIT, Map.class).readValuesToList()
                    .stream().anyMatch(a -> "KILL_SWITCH_COMMAND".equals(a.get("decision_type")));
            java.util.Set<String> streams = new java.util.TreeSet<>();
            topology.taskSubtopologies().forEach(s -> streams.addAll(s.sourceStreams()));
            List<Map<String, String>> dead = streams.stream().flatMap(s -> driver.deadLetters(s).stream()).toList();
            return new Outcome(resumed, audited, dead);
        }
    }

    @Test
    void aResetWithABlankAccountIsNeverAppliedWithoutItsAuditEntry() {
        Outcome o = tripThenReset("");
        assertThat(o.tradingResumed() ? o.audited() : true)
                .as("the forged reset turned the kill switch off (evaluations resumed: %s) but the audit log has no "
                        + "KILL_SWITCH_COMMAND (audited: %s); dead letters: %s", o.tradingResumed(), o.audited(),
                        o.deadLetters().stream().map(d -> d.get("error.stage") + " / " + d.get("error.message")).toList())
                .isTrue();
    }

    @Test
    void aResetWhoseReasonFillsItsEntryIsNeverAppliedWithoutItsAuditEntry() {
        // the entry itself is within the 64 KiB limit; the audit entry "reset by jane: <reason>" with its envelope is not
        Outcome o = tripThenReset("paper", "r".repeat(65_536 - 260));
        assertThat(o.tradingResumed() ? o.audited() : true)
                .as("the reset turned the kill switch off (evaluations resumed: %s) but the audit log has no "
                        + "KILL_SWITCH_COMMAND (audited: %s); dead letters: %s", o.tradingResumed(), o.audited(),
                        o.deadLetters().stream().map(d -> d.get("error.stage") + " / " + d.get("error.message")).toList())
                .isTrue();
    }

    /** The control: the same entry, well formed, resets the kill switch and is audited. */
    @Test
    void aWellFormedResetWrittenByAForeignClientIsAppliedAndAudited() {
        Outcome o = tripThenReset("paper", "reviewed the day's losses");
        assertThat(o.tradingResumed()).isTrue();
        assertThat(o.audited()).isTrue();
    }

    @Test
    void aResetNamingAnotherAccountDoesNotResetThePaperAccount() {
        Outcome o = tripThenReset("other");
        assertThat(o.tradingResumed()).as("paper's kill switch turned off by an entry whose account is 'other'").isFalse();
    }
}
