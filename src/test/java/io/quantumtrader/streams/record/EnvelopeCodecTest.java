package io.quantumtrader.streams.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
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

    record Basket(Set<String> symbols, Map<String, Object> extra) {
    }

    /**
     * Canonical JSON orders map entries by key and a set's elements by their own JSON, at any depth; a sorted set
     * keeps its comparator's order; the text reads back as the value (it is also the entry's data).
     */
    @Test
    void canonicalJsonOrdersSetsAndMapsAndReadsBack() {
        Map<String, Object> extra = new java.util.LinkedHashMap<>();
        extra.put("z", new java.util.LinkedHashSet<>(java.util.List.of(3, 1, 2)));
        java.util.TreeSet<Integer> descending = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        descending.addAll(java.util.List.of(1, 3, 2));
        extra.put("a", descending);
        Basket b = new Basket(new java.util.LinkedHashSet<>(java.util.List.of("b", "a", "c")), extra);

        String json = EnvelopeCodec.canonicalJson(b);

        assertThat(json).isEqualTo("{\"symbols\":[\"a\",\"b\",\"c\"],\"extra\":{\"a\":[3,2,1],\"z\":[1,2,3]}}");
        assertThat(EnvelopeCodec.canonicalJson(Set.of(Map.of("k", 2), Map.of("k", 1)))).isEqualTo("[{\"k\":1},{\"k\":2}]");
        assertThat(EnvelopeCodec.canonicalJson(new java.util.LinkedHashSet<>(java.util.List.of(1, "a", 10L))))
                .as("mixed types: by their JSON").isEqualTo("[\"a\",1,10]");
        assertThat(EnvelopeCodec.canonicalJson(new java.util.LinkedHashSet<>(java.util.List.of(10, 9))))
                .as("integers: by value").isEqualTo("[9,10]");
        assertThat(EnvelopeCodec.canonicalJson(null)).isEqualTo("null");
        assertThat(new JsonSerde<>(Basket.class).deserialize(json).symbols()).isEqualTo(Set.of("a", "b", "c"));
    }
}
