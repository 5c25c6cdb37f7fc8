package io.quantumtrader.app;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.QuantumTraderTopology;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve} runs the risk kernel with the configured risk rules ({@code quantum-trader.risk-rules}, else
 * {@code config/risk-rules.yaml}). Found in review (2026-12-07): it built the topology with {@code RiskRules.defaults()}
 * whatever the file said, so a desk that lowered its daily loss limit ran on 5 %, silently (the review's test lowered
 * the limit to 0.45 % and opened a 1 % marked loss: no kill switch).
 */
class ServeRiskRulesTest {

    static final long T = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void theServedTopologyRunsWithTheRulesOfTheFileItIsGiven() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, Files.readString(Path.of("config/risk-rules.yaml"))
                .replaceFirst("(?m)^daily-loss-limit-pct: *5\\.0", "daily-loss-limit-pct: 0.45"));
        RiskRulesFile loaded = RiskRulesFile.load(file);
        assertThat(loaded.rules().dailyLossLimitPct()).isEqualTo(0.45);
        assertThat(loaded.source()).isEqualTo(file.toString());
        assertThat(tripsOnAOnePercentLoss(new QuantumTraderApplication().topology(loaded), loaded.rules()))
                .as("kill switch at the configured 0.45 % daily loss limit in the served topology").isTrue();
        RiskRulesFile defaults = new RiskRulesFile(RiskRules.defaults(), "built-in defaults");
        assertThat(tripsOnAOnePercentLoss(new QuantumTraderApplication().topology(defaults), defaults.rules()))
                .as("control: 1 % is within the default 5 %").isFalse();
    }

    @Test
    void aRefusedRulesFileStopsTheStartNamingTheFileAndTheRule() throws Exception {
        Path file = dir.resolve("bad-rules.yaml");
        Files.writeString(file, Files.readString(Path.of("config/risk-rules.yaml"))
                .replaceFirst("(?m)^daily-loss-limit-pct: *5\\.0", "daily-loss-limit-pct: -1"));
        CliProcess.Run run = CliProcess.run(dir, Map.of("QUANTUM_TRADER_RISK_RULES", file.toString(),
                "REDIS_URL", "redis://127.0.0.1:" + ReplayFixture.freePort()), Duration.ofSeconds(90),
                "serve", "--server.port=" + ReplayFixture.freePort());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).as(run.toString()).contains("cannot use risk rules " + file).contains("daily-loss-limit-pct");
    }

    private static boolean tripsOnAOnePercentLoss(Topology topology, RiskRules rules) {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology)) {
            driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, Account.start(rules).onDay(T, false).opened(100_000));
            driver.<String, Position>getKeyValueStore("positions").put("BTC-USD",
                    new Position("pos-1", "BTC-USD", Direction.LONG, 10, 10_000, 5_000, 20_000, 10, T - 60_000, false));
            driver.<PriceTick>createInputStream(QuantumTraderTopology.TICKS)
                    .pipeInput("BTC-USD", new PriceTick("BTC-USD", 9_900, 1, T), T);   // ~1 % of marked equity down
            return !driver.createOutputStream(QuantumTraderTopology.KILL_SWITCH, KillSwitch.class).readValuesToList().isEmpty();
        }
    }
}
