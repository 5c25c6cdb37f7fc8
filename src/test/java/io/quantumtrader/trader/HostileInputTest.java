package io.quantumtrader.trader;

import io.quantumtrader.streams.record.CloudEventJson;
import io.micrometer.core.instrument.Counter;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.StreamRecords;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, defect 2: hostile entries XADDed into {@code market.tick.price} between real ticks. Every hostile entry is
 * dead-lettered (with its reason) or deduplicated, every valid tick counts (the candles equal those of the clean
 * ticks in the test driver: stream time never jumped), and no dead letter is larger than the entry limit.
 */
class HostileInputTest {

    static final RedisConnection REDIS = RedisConnection.embedded();
    static final String TICKS = QuantumTraderTopology.TICKS;

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    /** A valid tick's entry, mutated: (valid fields, the tick) → hostile fields. */
    record Kind(String name, boolean duplicate, BiFunction<Map<String, String>, PriceTick, Map<String, String>> make) {
    }

    static Map<String, String> with(Map<String, String> f, String field, String value) {
        Map<String, String> m = new LinkedHashMap<>(f);
        if (value == null) {
            m.remove(field);
        } else {
            m.put(field, value);
        }
        m.put("id", "hostile-" + System.nanoTime() + "-" + field); // a fresh id unless the kind says otherwise
        return m;
    }

    static String data(PriceTick t, String price, String size, String symbol) {
        return "{\"symbol\":\"" + symbol + "\",\"price\":" + price + ",\"size\":" + size + ",\"timestamp\":" + t.timestamp() + "}";
    }

    static List<Kind> kinds() {
        String mb = "X".repeat(1 << 20);
        List<Kind> k = new ArrayList<>();
        k.add(new Kind("missing id", false, (f, t) -> { Map<String, String> m = new LinkedHashMap<>(f); m.remove("id"); return m; }));
        k.add(new Kind("type blank", false, (f, t) -> with(f, "type", ""))); // absent, it is implied (the stream's own)
        k.add(new Kind("missing time", false, (f, t) -> with(f, "time", null)));
        k.add(new Kind("missing data", false, (f, t) -> with(f, "data", null)));
        k.add(new Kind("specversion 2.0", false, (f, t) -> with(f, "specversion", "2.0")));
        k.add(new Kind("specversion blank", false, (f, t) -> with(f, "specversion", "")));
        k.add(new Kind("time not RFC 3339", false, (f, t) -> with(f, "time", "yesterday")));
        k.add(new Kind("time in 2099", false, (f, t) -> with(f, "time", "2099-01-01T00:00:00Z")));
        k.add(new Kind("time 5 minutes ahead of the wall clock", false, (f, t) -> with(f, "time", Instant.now().plusSeconds(300).toString())));
        k.add(new Kind("type of another stream", false, (f, t) -> with(f, "type", "market.candle.new.v1")));
        k.add(new Kind("unknown type", false, (f, t) -> with(f, "type", "com.evil.unknown.v9")));
        k.add(new Kind("unknown version", false, (f, t) -> with(f, "type", "market.tick.price.v2")));
        k.add(new Kind("data null", false, (f, t) -> with(f, "data", "null")));
        k.add(new Kind("data blank", false, (f, t) -> with(f, "data", "  ")));
        k.add(new Kind("data not JSON", false, (f, t) -> with(f, "data", "{{{")));
        k.add(new Kind("data an array", false, (f, t) -> with(f, "data", "[]")));
        k.add(new Kind("data a string", false, (f, t) -> with(f, "data", "\"hello\"")));
        k.add(new Kind("price 1e12", false, (f, t) -> with(f, "data", data(t, "1e12", "1", "BTC-USD"))));
        k.add(new Kind("price 1e300", false, (f, t) -> with(f, "data", data(t, "1e300", "1", "BTC-USD"))));
        k.add(new Kind("price 1e400 (infinite)", false, (f, t) -> with(f, "data", data(t, "1e400", "1", "BTC-USD"))));
        k.add(new Kind("price negative", false, (f, t) -> with(f, "data", data(t, "-5", "1", "BTC-USD"))));
        k.add(new Kind("price zero", false, (f, t) -> with(f, "data", data(t, "0", "1", "BTC-USD"))));
        k.add(new Kind("price NaN", false, (f, t) -> with(f, "data", data(t, "NaN", "1", "BTC-USD"))));
        k.add(new Kind("price a string", false, (f, t) -> with(f, "data", data(t, "\"abc\"", "1", "BTC-USD"))));
        k.add(new Kind("price missing", false, (f, t) -> with(f, "data", "{\"symbol\":\"BTC-USD\",\"size\":1,\"timestamp\":" + t.timestamp() + "}")));
        k.add(new Kind("size negative", false, (f, t) -> with(f, "data", data(t, "600", "-1", "BTC-USD"))));
        k.add(new Kind("size 1e300", false, (f, t) -> with(f, "data", data(t, "600", "1e300", "BTC-USD"))));
        k.add(new Kind("timestamp zero", false, (f, t) -> with(f, "data", "{\"symbol\":\"BTC-USD\",\"price\":600,\"size\":1,\"timestamp\":0}")));
        k.add(new Kind("symbol lower case", false, (f, t) -> with(f, "data", data(t, "600", "1", "btc-usd"))));
        k.add(new Kind("symbol with spaces", false, (f, t) -> with(f, "data", data(t, "600", "1", "BTC USD; DROP"))));
        k.add(new Kind("1 MB symbol", false, (f, t) -> with(f, "data", data(t, "600", "1", mb))));
        k.add(new Kind("1 MB subject", false, (f, t) -> with(f, "subject", mb)));
        k.add(new Kind("200-character subject", false, (f, t) -> with(f, "subject", "B".repeat(200))));
        k.add(new Kind("subject with a NUL", false, (f, t) -> with(f, "subject", "BTC\u0000USD")));
        k.add(new Kind("subject with a newline", false, (f, t) -> with(f, "subject", "BTC\nUSD")));
        k.add(new Kind("subject blank", false, (f, t) -> with(f, "subject", "   ")));
        // a JSON escape survives as a lone surrogate, which UTF-8 would write as '?' (another key): found in review,
        // 2026-12-05
        k.add(new Kind("subject with an unpaired surrogate", false, (f, t) -> {
            String json = CloudEventJson.structured(f).get(CloudEventJson.FIELD);
            return Map.of(CloudEventJson.FIELD, json.replace("\"subject\":\"" + f.get("subject") + "\"",
                    "\"subject\":\"" + f.get("subject") + "\\ud800\""));
        }));
        // the source keys the dedupe window with the id since 2026-12-06: the same check
        k.add(new Kind("source with an unpaired surrogate", false, (f, t) -> Map.of(CloudEventJson.FIELD,
                CloudEventJson.structured(with(f, "source", "feed-SURROGATE")).get(CloudEventJson.FIELD)
                        .replace("feed-SURROGATE", "feed-\\ud800"))));
        k.add(new Kind("70 KB of padding in data", false, (f, t) -> with(f, "data", data(t, "600", "1", "BTC-USD") + " ".repeat(70_000))));
        k.add(new Kind("5,000 extra fields", false, (f, t) -> {
            Map<String, String> m = with(f, "x", "y");
            for (int i = 0; i < 5_000; i++) {
                m.put("extra-field-" + i, "value-" + i);
            }
            return m;
        }));
        k.add(new Kind("exact duplicate of a valid tick", true, (f, t) -> new LinkedHashMap<>(f)));
        k.add(new Kind("same event id, other price", true, (f, t) -> {
            Map<String, String> m = new LinkedHashMap<>(f);
            m.put("data", data(t, "1", "1", "BTC-USD"));
            return m;
        }));
        return k;
    }

    @Test
    void everyHostileEntryIsDeadLetteredOrDeduplicatedAndEveryValidTickCounts() {
        List<PriceTick> ticks = TradingFixtures.realTicks(4_000);
        List<Kind> kinds = kinds();
        assertThat(kinds).hasSizeGreaterThanOrEqualTo(37);
        List<String> streams = List.of(QuantumTraderTopology.CANDLES, QuantumTraderTopology.REGIMES, QuantumTraderTopology.SIGNALS);
        Map<String, List<String>> expected = TradingFixtures.driverOutputs(QuantumTraderTopology.build(), ticks, streams);

        String ns = "hostile-" + System.nanoTime();
        StreamCatalog catalog = TradingFixtures.catalog();
        EventPublisher publisher = new EventPublisher(REDIS.template(), new StreamKeys(ns), catalog, "test");
        List<Mono<String>> writes = new ArrayList<>();
        int every = ticks.size() / (kinds.size() + 2);
        for (int i = 0; i < ticks.size(); i++) {
            PriceTick t = ticks.get(i);
            String id = "tick-" + i;
            Map<String, String> valid = CloudEventJson.flatten(EnvelopeCodec.encode(TICKS, "feed", id, t.symbol(), t, t.timestamp(), id));
            writes.add(publisher.sendRaw(TICKS, t.symbol(), valid));
            int kind = i / every;
            if (i % every == every / 2 && kind < kinds.size()) {
                writes.add(publisher.sendRaw(TICKS, t.symbol(), kinds.get(kind).make().apply(valid, t)));
            }
        }
        // and a subject that is not valid UTF-8, written as raw bytes
        Map<ByteBuffer, ByteBuffer> raw = new HashMap<>();
        Map<String, String> last = CloudEventJson.flatten(EnvelopeCodec.encode(TICKS, "feed", "utf8", "BTC-USD", ticks.get(10), ticks.get(10).timestamp(), "utf8"));
        last.forEach((f, v) -> raw.put(buf(f.getBytes(StandardCharsets.UTF_8)), buf(v.getBytes(StandardCharsets.UTF_8))));
        raw.put(buf("subject".getBytes(StandardCharsets.UTF_8)), buf(new byte[]{'B', (byte) 0xC3, (byte) 0x28, 'X'}));
        int hostile = kinds.size() + 1;
        int duplicates = (int) kinds.stream().filter(Kind::duplicate).count();

        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(),
                StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns).withCatalog(catalog), REDIS.template())) {
            runtime.start();
            Flux.concat(writes).blockLast();
            REDIS.template().execute(c -> c.streamCommands().xAdd(StreamRecords.rawBuffer(raw)
                    .withStreamKey(buf(new StreamKeys(ns).stream(TICKS, 0).getBytes(StandardCharsets.UTF_8))))).blockLast();
            TradingFixtures.endTicks(REDIS.template(), ns, catalog);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(90))).isTrue();

            // the ticks are read by one sub-topology (the market layer's candles; the portfolio gets them from it,
            // gathered by account): it deduplicates and refuses every hostile entry once
            int readers = 1;
            assertThat(runtime.counters().duplicates()).as("deduplicated").isEqualTo(readers * duplicates);
            assertThat(runtime.counters().rejected()).as("refused at the source").isEqualTo(readers * (hostile - duplicates));
            double metered = runtime.metrics().registry().find("qt.streams.ingest.rejected").counters().stream()
                    .mapToDouble(Counter::count).sum();
            assertThat(metered).isEqualTo(readers * (hostile - duplicates));
            assertThat(runtime.counters().droppedLate()).as("no valid tick was made late").isZero();
        }
        List<Map<String, String>> dlq = io.quantumtrader.streams.RedisTestSupport.entriesOf(REDIS.template(), ns, TICKS + ".dlq", 0);
        assertThat(dlq).hasSize(hostile - duplicates);
        assertThat(dlq).allSatisfy(d -> assertThat(d.get("error.stage")).isEqualTo("ticks"));
        assertThat(dlq).allSatisfy(d -> {
            assertThat(d).containsKey("error.reason");
            int size = d.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
            assertThat(size).as("dead letter of %s", d.get("error.message")).isLessThan(64 * 1024);
        });
        for (String s : streams) {
            assertThat(TradingFixtures.redisOutputs(REDIS.template(), ns, s)).as(s).isEqualTo(expected.get(s));
        }
    }

    private static ByteBuffer buf(byte[] b) {
        return ByteBuffer.wrap(b);
    }
}
