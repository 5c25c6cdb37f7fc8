package io.quantumtrader.streams.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Deterministic event ids stay what {@code UUID.nameUUIDFromBytes} gave, so ids written before this change still match. */
class EnvelopeCodecTest {

    @Test
    void deterministicIdsAreNameBasedUuids() {
        for (int i = 0; i < 1000; i++) {
            String[] parts = {"app-" + i, "ticks/" + (i % 7) + "/1700000000000-" + i, "sink", Integer.toString(i % 3 + 1)};
            assertThat(EnvelopeCodec.deterministicId(parts))
                    .isEqualTo(UUID.nameUUIDFromBytes(String.join("/", parts).getBytes(StandardCharsets.UTF_8)).toString());
        }
        assertThat(EnvelopeCodec.deterministicId("ünïcode", "∑")).isEqualTo(
                UUID.nameUUIDFromBytes("ünïcode/∑".getBytes(StandardCharsets.UTF_8)).toString());
    }
}
