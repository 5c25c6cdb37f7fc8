package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Record;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): an entry well within the 64 KiB entry limit, refused at the source for a reason the operator fixes and then
 * replays (OPERATIONS.md: wrong_partition "replay their dead letters after it"; future_event_time: "fix the producer"),
 * must reach the dead-letter stream whole, or it cannot be replayed.
 */
class DeadLetterReplayTest {

    @Test
    void aRefusedEntryWithinTheEntryLimitIsDeadLetteredWhole() {
        String data = "{\"symbol\":\"BTC-USD\",\"note\":\"" + "x".repeat(2_000) + "\"}";   // 2 KB: 3 % of the limit
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "e-1");
        fields.put("source", "feed");
        fields.put("time", "2013-11-25T00:00:13Z");
        fields.put("subject", "BTC-USD");
        fields.put("data", data);
        Record<Object, Object> r = new Record<>(null, null, 0L, "e-1",
                new Record.Origin("market.tick.price", 0, "1-0", fields, 0));
        Map<String, String> dl = DeadLetterFields.of(r, "ticks", new RejectedEntryException(
                RejectedEntryException.Reason.WRONG_PARTITION, "subject 'BTC-USD' belongs to partition 1 of 2, not 0", null), 1, "0_0",
                IngestLimits.defaults());   // as the runtime and the driver write it
        assertThat(dl.get("data")).as("the dead letter's data").isEqualTo(data);

        // an entry over the limit is still cut: a hostile entry is never copied whole
        fields.put("data", "x".repeat((int) IngestLimits.defaults().maxEntryBytes() + 1));
        Map<String, String> oversized = DeadLetterFields.of(r, "ticks", new RejectedEntryException(
                RejectedEntryException.Reason.OVERSIZED, "too large", null), 1, "0_0", IngestLimits.defaults());
        assertThat(oversized.get("data")).hasSizeLessThan(DeadLetterFields.MAX_VALUE_CHARS + 64).contains("…[truncated, ");
    }
}
