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
}
