package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pending order remembers the input entry that placed it by stream and id: Redis gives each stream its
 * own ids, so a signal and a tick can share one (found in review, 2026-12-05: by id alone an entry placed by signal
 * {@code 5-0} was held back on tick {@code 5-0} of the other stream, a fill that depended on the server's clock).
 */
class InputEntryTest {

    static Record<String, String> from(String stream, int partition, String id) {
        return new Record<>("BTC-USD", "v", 0, null, new Record.Origin(stream, partition, id, Map.of(), 0));
    }

    @Test
    void entriesWithTheSameIdInTwoStreamsAreTwoEntries() {
        assertThat(InputEntry.of(from("signals", 0, "5-0"))).isNotEqualTo(InputEntry.of(from("ticks", 0, "5-0")));
        assertThat(InputEntry.of(from("ticks", 0, "5-0"))).isEqualTo(InputEntry.of(from("ticks", 0, "5-0")))
                .isEqualTo("ticks/5-0");
        assertThat(InputEntry.of(new Record<>("k", "v", 0, null, null))).isEmpty();
    }
}
