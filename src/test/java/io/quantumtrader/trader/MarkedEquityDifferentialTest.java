package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account's limits on marked equity, differentially, on Redis: with a 4 % daily loss limit (reset each UTC day) on
 * the first 40,000 Bitstamp trades, open positions' marks trip the kill switch before their closes would, and the pipeline
 * equals {@link IndependentReference} on every fill, close, kill-switch activation and de-risk change. The comparison
 * can fail: the reference with the limits on realized equity only (the rule before marked equity) trips the kill
 * switch later on these ticks (on 11-26, 15 s; until the adds' budget rule of 2026-12-06 it also tripped later on 11-25
 * and reached HARD_DERISK later; with that rule 11-25's activation and HARD_DERISK come at closes, the same in both). {@link DifferentialTest}'s rules (a 5 % limit) cross every
 * threshold at a close, where marked and realized equity agree, so it could not tell the two (found in review,
 * 2026-12-06).
 */
class MarkedEquityDifferentialTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void marksTripTheKillSwitchBeforeClosesAndThePipelineEqualsTheReference() throws Exception {
        String yaml = Files.readString(DifferentialTest.RULES_FILE)
                .replaceFirst("(?m)^daily-loss-limit-pct: *[0-9.]+", "daily-loss-limit-pct: 4.0")
                .replaceFirst("(?m)^kill-switch-resets-daily: *\\w+", "kill-switch-resets-daily: true");
        assertThat(yaml).contains("daily-loss-limit-pct: 4.0", "kill-switch-resets-daily: true");
        Path file = Files.createTempFile("marked-rules", ".yaml");
        Files.writeString(file, yaml);
        RiskRules rules;
        try (InputStream in = Files.newInputStream(file)) {
            rules = RiskRules.load(in);
        }
        IndependentReference.Rules referenceRules = IndependentReference.Rules.fromYaml(file);
        List<PriceTick> ticks = TradingFixtures.realTicks(40_000);   // to 2013-11-27: both differences are on the first two days

        String ns = TradingFixtures.runOnRedis(REDIS, rules, ticks, "marked");
        IndependentReference reference = TradingFixtures.ran(new IndependentReference(referenceRules), ticks);
        DifferentialTest.assertSameResults(REDIS, ns, reference, referenceRules);
        assertThat(reference.killSwitchTimes).as("kill switch activations").hasSizeGreaterThanOrEqualTo(2);

        IndependentReference realizedOnly = TradingFixtures.ran(new IndependentReference(referenceRules).limitsOnRealizedEquity(), ticks);
        List<Long> kills = TradingFixtures.payloads(REDIS, ns, QuantumTraderTopology.KILL_SWITCH, KillSwitch.class).stream()
                .filter(KillSwitch::active).map(KillSwitch::activatedAt).toList();
        assertThat(realizedOnly.killSwitchTimes).as("the realized-only mutant's kill switch").isNotEqualTo(kills);
        int first = 0;   // the first activation that differs (since the adds' budget rule, 11-25's is at a close in both)
        while (first < kills.size() - 1 && kills.get(first).equals(realizedOnly.killSwitchTimes.get(first))) {
            first++;
        }
        assertThat(realizedOnly.killSwitchTimes.get(first)).as("the first activation that differs: marks trip it earlier")
                .isGreaterThan(kills.get(first));
    }
}
