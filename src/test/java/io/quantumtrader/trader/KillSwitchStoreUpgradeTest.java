package io.quantumtrader.trader;

import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.trader.events.KillSwitch;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Found in review (2026-12-08) of a first version of the kill-switch checks: the previous release's kill-switch-reset accepted any --reason / --operator length, and the portfolio stored the
 * reset it applied in its "kill-switch-resets" store. KillSwitch's new canonical constructor refuses such a value on
 * decode, so the store cannot be loaded after an upgrade: CachedKeyValueStore.load throws StateStoreException and the
 * portfolio task fails at every start.
 */
class KillSwitchStoreUpgradeTest {

    @Test
    void aResetAppliedByThePreviousReleaseStillLoadsFromTheStore() {
        String valid = new JsonSerde<>(KillSwitch.class).serialize(
                new KillSwitch("paper", false, "REASON", 0, 1_765_000_000_000L, false, "OPERATOR"));
        // what the previous release's CLI published and the portfolio stored: a 1,200-character reason
        String old = valid.replace("REASON", "r".repeat(1_200));
        CachedKeyValueStore<String, KillSwitch> store = new CachedKeyValueStore<>(
                StoreSpec.keyValueStore("kill-switch-resets", KillSwitch.class), "ns:store:kill-switch-resets:0");
        assertThatCode(() -> store.load(Map.of("paper", old)))
                .as("the portfolio's own committed state, written by the previous release, loads after an upgrade")
                .doesNotThrowAnyException();
    }
}
