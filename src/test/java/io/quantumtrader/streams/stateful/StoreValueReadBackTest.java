package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.state.CachedKeyValueStore;
import io.quantumtrader.streams.state.StateStoreException;
import io.quantumtrader.streams.state.StateWrites;
import io.quantumtrader.streams.state.StoreSpec;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A state store hands out, while its task runs, what it will read back from Redis after a restart; a value that would
 * not read back as itself is refused when it is put, naming the store. Found in review (2026-12-07), each a difference
 * only after a restart, which the test driver never does:
 * <ul>
 *   <li>an aggregate whose store type came from its initializer ({@code Low}) and whose aggregator returned another
 *       class ({@code High}, same interface) was kept as a {@code High} while the task ran and read back as a
 *       {@code Low} after a restart: its results changed;</li>
 *   <li>a store declared with an interface type kept its values as they were; after a restart its JSON could not be
 *       read back and the task could not start (the runtime in ERROR, nothing processed again);</li>
 *   <li>a value holding an {@code OffsetDateTime} (taken for immutable, so not copied) was handed out at +02:00 before a
 *       restart and at Z (UTC) after it, as the JSON mapper reads it back.</li>
 * </ul>
 */
class StoreValueReadBackTest {

    public sealed interface Level permits Low, High {
        long n();
    }

    public record Low(long n) implements Level {
    }

    public record High(long n) implements Level {
    }

    public record LastFill(String symbol, OffsetDateTime at) {
    }

    @Test
    void aValueOfAnotherClassThanTheStoresIsRefusedWhenPut() {
        CachedKeyValueStore<String, Low> lows = new CachedKeyValueStore<>(StoreSpec.keyValueStore("levels", Low.class), "h");
        lows.load(Map.of());
        @SuppressWarnings({"unchecked", "rawtypes"})
        CachedKeyValueStore<String, Object> raw = (CachedKeyValueStore) lows;
        assertThatThrownBy(() -> raw.put("BTC", new High(1))).isInstanceOf(StateStoreException.class)
                .hasMessage("store 'levels' keeps Low values: a High put into it would not survive a restart, as it is read "
                        + "back as Low; declare the store with the values' own class (Materialized.as(\"levels\", High.class))");
        lows.put("BTC", new Low(1));
        assertThat(lows.get("BTC")).isEqualTo(new Low(1));
    }

    @Test
    void aValueTheStoresSerdeCannotReadBackIsRefusedWhenPut() {
        CachedKeyValueStore<String, Level> levels = new CachedKeyValueStore<>(StoreSpec.keyValueStore("levels", Level.class), "h");
        levels.load(Map.of());
        assertThatThrownBy(() -> levels.put("BTC", new Low(1))).isInstanceOf(StateStoreException.class)
                .hasMessageStartingWith("store 'levels' keeps Level values: a Low put into it would not survive a restart, "
                        + "as it cannot be read back (");
    }

    @Test
    void aValueReadAfterRestoreEqualsTheValueReadBeforeTheRestart() {
        StoreSpec<String, LastFill> spec = StoreSpec.keyValueStore("fills", LastFill.class);
        CachedKeyValueStore<String, LastFill> running = new CachedKeyValueStore<>(spec, "h");
        running.load(Map.of());
        running.put("BTC", new LastFill("BTC", OffsetDateTime.of(2026, 12, 7, 10, 0, 0, 0, ZoneOffset.ofHours(2))));
        Map<String, String> hash = new HashMap<>();
        running.writeTo(new StateWrites() {
            @Override public void put(String hashKey, String field, String value) { hash.put(field, value); }
            @Override public void delete(String hashKey, String field) { hash.remove(field); }
        });
        running.committed();
        LastFill beforeRestart = running.get("BTC");

        CachedKeyValueStore<String, LastFill> restored = new CachedKeyValueStore<>(spec, "h");
        restored.load(hash);   // what StreamTask.loadStores does with the Redis hash at the next start
        assertThat(restored.get("BTC")).as("stored JSON %s", hash.get("BTC")).isEqualTo(beforeRestart);
    }
}
