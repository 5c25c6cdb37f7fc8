package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.record.Envelope;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared Lua helper that appends entries from a script's arguments (append.lua, commit.lua, forward.lua): every
 * field in order, and the stream's {@code MAXLEN ~} applied.
 */
class AppendOutputsTest {

    @Test
    void appendsEveryFieldInOrderAndAppliesMaxLen() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 1, 0, null), Map.of(
                "capped", new StreamSpec("capped", "symbol", 1, 10, null),
                "uncapped", new StreamSpec("uncapped", "symbol", 1, 0, null)));
        EventPublisher publisher = RedisTestSupport.publisher(ns, catalog);
        for (String stream : List.of("capped", "uncapped")) {
            publisher.sendAll(Flux.fromStream(IntStream.rangeClosed(1, 1_000).mapToObj(i ->
                    new EventPublisher.Event(stream, "A", new Tick("A", i, i), 1_700_000_000_000L + i))), 64).block();
        }
        long capped = RedisTestSupport.length(ns, "capped", 0);
        assertThat(capped).as("MAXLEN ~ 10 trims whole nodes: fewer than what was written, at least 10").isBetween(10L, 500L);
        List<Map<String, String>> all = RedisTestSupport.entries(ns, "uncapped", 0);
        assertThat(all).hasSize(1_000);
        assertThat(all.get(0).keySet()).containsExactly("id", "source", "time", "subject", "data");
        assertThat(Envelope.fromFields("uncapped", all.get(999)).data()).isEqualTo("{\"symbol\":\"A\",\"price\":1000.0,\"seq\":1000}");
    }
}
