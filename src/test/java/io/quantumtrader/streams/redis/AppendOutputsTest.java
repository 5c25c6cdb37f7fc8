package io.quantumtrader.streams.redis;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.record.Envelope;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import reactor.core.publisher.Flux;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared Lua helper that appends entries from a script's arguments (append.lua, commit.lua, forward.lua): every
 * field in order, the stream's {@code MAXLEN ~} applied, and each stream's entries in the order they were added when a
 * batch interleaves streams, field layouts and caps (outputs travel in runs that name their fields once).
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

    @Test
    void aBatchKeepsEachStreamsOrderAcrossInterleavedStreamsLayoutsAndCaps() {
        String ns = RedisTestSupport.freshNamespace();
        String a = ns + ":a";
        String b = ns + ":b";
        CommitBatch batch = new CommitBatch();
        for (int n = 1; n <= 9; n++) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("n", Integer.toString(n));
            if (n % 3 == 0) {
                fields.put("extra", "x" + n); // another layout in the middle of a stream's outputs
            }
            batch.add(n % 2 == 0 ? b : a, n == 7 ? 1_000 : 0, fields); // and another cap
        }
        Long redisNowMs = LuaScript.load("append.lua").executeForLong(RedisTestSupport.template(), batch.appendKeys(),
                batch.appendArgs()).block();
        // the script answers Redis' clock (TIME, ms), which caps the publisher's watermark: the entries' ids were made
        // from it in the same script
        assertThat(redisNowMs).isBetween(Math.min(firstIdMs(a), firstIdMs(b)), Math.min(firstIdMs(a), firstIdMs(b)) + 1_000);
        assertThat(entries(a)).containsExactly(Map.of("n", "1"), Map.of("n", "3", "extra", "x3"), Map.of("n", "5"),
                Map.of("n", "7"), Map.of("n", "9", "extra", "x9"));
        assertThat(entries(b)).containsExactly(Map.of("n", "2"), Map.of("n", "4"), Map.of("n", "6", "extra", "x6"),
                Map.of("n", "8"));
        assertThat(RedisTestSupport.template().opsForStream().range(a, Range.unbounded()).blockFirst().getValue().keySet())
                .containsExactly("n");
    }

    private static long firstIdMs(String key) {
        return RedisTestSupport.template().opsForStream().range(key, Range.unbounded()).blockFirst().getId().getTimestamp();
    }

    private static List<Map<String, String>> entries(String key) {
        return RedisTestSupport.template().<String, String>opsForStream().range(key, Range.unbounded())
                .map(r -> Map.copyOf(r.getValue())).collectList().block();
    }
}
