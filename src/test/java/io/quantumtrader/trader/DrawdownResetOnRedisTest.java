package io.quantumtrader.trader;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.DeRiskUpdate;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's reset with {@code --rebase-drawdown} applied by the portfolio running on Redis, not only in the test
 * driver ({@link DrawdownResetTest}): real ticks take the account to HARD_DERISK, the reset is published as
 * {@code kill-switch-reset} publishes it (no watermark: an operator command never holds the ticks), and the account
 * leaves HARD_DERISK with its drawdown re-based, approves again, and the audit log records the command. Found in review (2026-12-05): no test
 * applied a reset on Redis.
 */
class DrawdownResetOnRedisTest {

    @Test
    void aReBaseResetOnRedisEndsHardDeRisk() {
        List<PriceTick> ticks = TradingFixtures.realTicks(60_000);
        RiskRules rules = RiskRules.of(100_000, 1.0, 50.0, 50.0, 3, 130.0, 20, false).withDerisk(0, 1.0, false);
        String ns = "reset-" + System.nanoTime();
        StreamCatalog catalog = TradingFixtures.catalog();
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(RegimeRules.defaults(), rules),
                StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns).withCatalog(catalog),
                io.quantumtrader.streams.RedisTestSupport.template())) {
            runtime.start();
            TradingFixtures.publishChunk(io.quantumtrader.streams.RedisTestSupport.template(), ns, catalog, ticks.subList(0, 40_000));
            // not drained while the input goes on (the portfolio holds the ticks after the last candle until the
            // market-data stages' watermarks pass them): wait for the state instead
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<DeRiskUpdate> before = values(ns, QuantumTraderTopology.DERISK, DeRiskUpdate.class);
                return !before.isEmpty() && before.get(before.size() - 1).state().equals("HARD_DERISK");
            });

            long resetAt = ticks.get(39_999).timestamp();
            new EventPublisher(io.quantumtrader.streams.RedisTestSupport.template(), new StreamKeys(ns), catalog, "operator/test")
                    .send(QuantumTraderTopology.KILL_SWITCH, "paper",
                            new KillSwitch("paper", false, "reviewed: resume", 0, resetAt, true), resetAt)
                    .block(Duration.ofSeconds(10));
            TradingFixtures.publish(io.quantumtrader.streams.RedisTestSupport.template(), ns, catalog, ticks.subList(40_000, 60_000));
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
        }
        // the first tick or signal processed after the reset applies it, which on Redis may be of an earlier event time
        // than the command's (the ticks before it may still be in flight): found in processing order
        List<DeRiskUpdate> changes = values(ns, QuantumTraderTopology.DERISK, DeRiskUpdate.class);
        assertThat(changes.get(0).state()).isEqualTo("HARD_DERISK");
        assertThat(changes).as("de-risk changes").hasSizeGreaterThan(1);
        DeRiskUpdate left = changes.get(1);
        assertThat(left.previous()).isEqualTo("HARD_DERISK");
        assertThat(left.state()).isEqualTo("NORMAL");
        assertThat(left.drawdownPct()).as("re-based").isZero();
        assertThat(values(ns, QuantumTraderTopology.EVALUATIONS, RiskEvaluation.class)).as("approvals after it")
                .anySatisfy(e -> {
                    assertThat(e.evaluatedAt()).isGreaterThanOrEqualTo(left.changedAt());
                    assertThat(e.decision()).isNotEqualTo(RiskEvaluation.Decision.VETOED);
                });
        assertThat(values(ns, QuantumTraderTopology.AUDIT, Map.class))
                .anySatisfy(a -> assertThat(a.get("decision_type")).isEqualTo("KILL_SWITCH_COMMAND"));
    }

    private static <T> List<T> values(String ns, String stream, Class<T> type) {
        return io.quantumtrader.streams.RedisTestSupport.values(ns, stream, 0, type);
    }
}
