package io.quantumtrader.streams.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecurringStringsTest {

    @Test
    void decodesOnceAndSharesTheString() {
        RecurringStrings names = new RecurringStrings();
        String first = names.decode("time".getBytes(StandardCharsets.UTF_8));
        assertThat(first).isEqualTo("time");
        assertThat(names.decode("time".getBytes(StandardCharsets.UTF_8))).isSameAs(first);
        assertThat(names.decode("tim".getBytes(StandardCharsets.UTF_8))).isEqualTo("tim");
        assertThat(names.decode("∑ünï".getBytes(StandardCharsets.UTF_8))).isEqualTo("∑ünï");
        assertThat(names.decode(new byte[0])).isEmpty();
    }

    @Test
    void beyondItsCapacityStillDecodesCorrectly() {
        RecurringStrings names = new RecurringStrings();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < RecurringStrings.CAPACITY * 2; i++) {
                assertThat(names.decode(("field-" + i).getBytes(StandardCharsets.UTF_8))).isEqualTo("field-" + i);
            }
        }
    }

    @Test
    void theCallersArrayMayChangeAfterwards() {
        RecurringStrings names = new RecurringStrings();
        byte[] buffer = "data".getBytes(StandardCharsets.UTF_8);
        names.decode(buffer);
        buffer[0] = 'm';
        assertThat(names.decode("data".getBytes(StandardCharsets.UTF_8))).isEqualTo("data");
        assertThat(names.decode(buffer)).isEqualTo("mata");
    }

    /**
     * Field names are whatever a writer XADDs: before (review of 2026-12-06) the first 32 distinct ones were kept for
     * the reader's life whatever their size, so 32 entries with field names of 16 MB held a gigabyte per task (bytes
     * and string), again after every restart (the entries are pending and read again), and left no room for the real
     * names. A name longer than {@link RecurringStrings#MAX_KEPT_BYTES} is decoded, never kept.
     */
    @Test
    void aLongNameIsDecodedButNeverKept() {
        RecurringStrings names = new RecurringStrings();
        for (int i = 0; i < RecurringStrings.CAPACITY; i++) {
            byte[] huge = ("x".repeat(RecurringStrings.MAX_KEPT_BYTES) + i).getBytes(StandardCharsets.UTF_8);
            String decoded = names.decode(huge);
            assertThat(decoded).hasSize(RecurringStrings.MAX_KEPT_BYTES + Integer.toString(i).length());
            assertThat(names.decode(huge)).as("not kept").isEqualTo(decoded).isNotSameAs(decoded);
        }
        String time = names.decode("time".getBytes(StandardCharsets.UTF_8));
        assertThat(names.decode("time".getBytes(StandardCharsets.UTF_8))).as("still room for the real names").isSameAs(time);
    }
}
