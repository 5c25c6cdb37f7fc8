package io.quantumtrader.trader;

import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08) of a first version: KillSwitchResets knew an applied reset by its whole value (equals) instead of its activated_at. The value it
 * compares with is the kill-switch-resets store's, which after a restart is read back from Redis (UTF-8). A reason a
 * foreign client wrote with an escaped unpaired surrogate ("\ud800", accepted by the serde and by the ingest checks,
 * which look at id and subject only) comes back as '?', so the reset applied before the restart is no longer equal to
 * the table's value and is applied (and audited, and with rebase_drawdown re-based) again after every restart.
 */
class ResetAppliedAgainAfterRestartTest {

    @Test
    void aResetAppliedBeforeARestartIsNotAppliedAgainAfterIt() {
        JsonSerde<KillSwitch> serde = new JsonSerde<>(KillSwitch.class);
        String entryData = serde.serialize(new KillSwitch("paper", false, "REASON", 0, 1_765_000_000_000L, false, "ops"))
                .replace("REASON", "reviewed \\ud800 losses");
        KillSwitch table = serde.deserialize(entryData);   // what the global table's replica holds

        RiskRules rules = RiskRules.defaults();
        CachedKeyValueStore<String, KillSwitch> resets = new CachedKeyValueStore<>(
                StoreSpec.keyValueStore("kill-switch-resets", KillSwitch.class), "h:resets");
        CachedKeyValueStore<String, Account> accounts = new CachedKeyValueStore<>(
                StoreSpec.keyValueStore("account", Account.class), "h:account");
        CachedKeyValueStore<String, RegimeUpdate> regimes = new CachedKeyValueStore<>(
                StoreSpec.keyValueStore("regimes", RegimeUpdate.class), "h:regimes");
        KillSwitchResets before = new KillSwitchResets(rules, Duration.ofMinutes(1), accounts, resets, regimes);
        assertThat(before.apply(table, 1_765_000_001_000L)).as("first application").isNotNull();
        assertThat(before.apply(table, 1_765_000_002_000L)).as("same run: applied once").isNull();

        // the task restarts: its store is loaded from the Redis hash its commit wrote (a UTF-8 string)
        String committed = new String(serde.serialize(resets.get(Account.PAPER)).getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        CachedKeyValueStore<String, KillSwitch> reloaded = new CachedKeyValueStore<>(
                StoreSpec.keyValueStore("kill-switch-resets", KillSwitch.class), "h:resets");
        reloaded.load(Map.of(Account.PAPER, committed));
        KillSwitchResets after = new KillSwitchResets(rules, Duration.ofMinutes(1), accounts, reloaded, regimes);
        assertThat(after.apply(table, 1_765_000_003_000L))
                .as("the reset applied before the restart, applied (and audited) again after it").isNull();
    }
}
