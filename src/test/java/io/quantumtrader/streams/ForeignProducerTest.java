package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.entries;
import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries written by something else than this engine, with a plain XADD (another language, redis-cli): the minimal
 * entry (id, time, data) and the full ten-field layout are processed; one that states a wrong {@code specversion} or
 * {@code type} explicitly is dead-lettered, as before the attributes became implied (issue 12); the README's redis-cli
 * entries, in structured mode and in flat fields, are processed.
 */
class ForeignProducerTest {

    @Test
    void minimalAndFullEntriesAreProcessedAndWrongExplicitAttributesAreDeadLettered() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        Map<String, String> minimal = fields("id", "cli-1", "time", "2023-11-14T22:13:20Z",
                "data", "{\"symbol\":\"A\",\"price\":1.5,\"seq\":1}");
        Map<String, String> full = fields("id", "other-2", "source", "python-feed", "specversion", "1.0",
                "type", "ticks.v1", "time", "2023-11-14T22:13:21Z", "subject", "A", "datacontenttype", "application/json",
                "data", "{\"symbol\":\"A\",\"price\":2.5,\"seq\":2}", "traceid", "trace-2", "idempotencykey", "other-2");
        Map<String, String> wrongSpec = fields("id", "cli-3", "specversion", "2.0", "time", "2023-11-14T22:13:22Z",
                "data", "{\"symbol\":\"A\",\"price\":3.5,\"seq\":3}");
        Map<String, String> wrongType = fields("id", "cli-4", "type", "priced.v1", "time", "2023-11-14T22:13:23Z",
                "data", "{\"symbol\":\"A\",\"price\":4.5,\"seq\":4}");
        for (Map<String, String> f : List.of(minimal, full, wrongSpec, wrongType)) {
            template().opsForStream().add(MapRecord.create(key, f)).block(); // plain XADD key * field value ...
        }
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).send("ticks", "A", new Tick("A", 6.5, 6), 1_700_000_006_000L).block();

        TopologyBuilder b = new TopologyBuilder("foreign");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .mapValues(t -> new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100)), Named.as("to-cents"))
                .to("priced", Named.as("priced-sink"));
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().rejected()).isEqualTo(2);
        }

        List<Map<String, String>> out = entries(ns, "priced", 0);
        assertThat(out).extracting(f -> Envelope.fromFields("priced", f).data()).containsExactly(
                "{\"symbol\":\"A\",\"seq\":1,\"price_cents\":150}",
                "{\"symbol\":\"A\",\"seq\":2,\"price_cents\":250}",
                "{\"symbol\":\"A\",\"seq\":6,\"price_cents\":650}");
        assertThat(out).allSatisfy(f -> {
            assertThat(f).doesNotContainKeys("specversion", "datacontenttype", "type", "idempotencykey");
            assertThat(Envelope.fromFields("priced", f).type()).isEqualTo("priced.v1");
        });
        assertThat(Envelope.traceIdOf(out.get(0))).as("an absent traceid is the input's id").isEqualTo("cli-1");
        assertThat(Envelope.traceIdOf(out.get(1))).isEqualTo("trace-2");
        assertThat(out.get(0).get("id")).isEqualTo(EnvelopeCodec.deterministicId("foreign",
                "ticks/0/" + firstEntryId(key), "priced-sink", "1"));

        List<Map<String, String>> dlq = entries(ns, "ticks.dlq", 0);
        assertThat(dlq).hasSize(2);
        assertThat(dlq.get(0)).containsEntry("id", "cli-3").containsEntry("error.reason", "invalid_envelope");
        assertThat(dlq.get(0).get("error.message")).contains("unsupported specversion '2.0'");
        assertThat(dlq.get(1)).containsEntry("id", "cli-4").containsEntry("error.reason", "wrong_type");
        assertThat(dlq.get(1).get("error.message")).contains("'priced.v1' does not belong to stream 'ticks'");
    }

    /**
     * The README's two smallest valid entries ("Stream entries": structured mode and flat fields), run as written
     * (tokenized as a shell would), are processed; the engine's own output is one {@code cloudevent} field; a
     * structured entry that is not JSON is dead-lettered with the parser's reason.
     */
    @Test
    void theReadmesRedisCliEntriesAreProcessedInBothLayouts() throws java.io.IOException {
        String ns = RedisTestSupport.freshNamespace();
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(XADD '<ns>:\\{<ns>\\.0}:s:ticks' '\\*' [^`]*)`")
                .matcher(readme);
        List<String> commands = new java.util.ArrayList<>();
        while (m.find()) {
            commands.add(m.group(1).replace("<ns>", ns));
        }
        assertThat(commands).as("README's redis-cli entries").hasSize(2);
        String key = new StreamKeys(ns).stream("ticks", 0);
        for (String command : commands) {
            List<String> words = shellWords(command);
            assertThat(words.subList(0, 3)).containsExactly("XADD", key, "*");
            String[] fieldsAndValues = words.subList(3, words.size()).toArray(String[]::new);
            template().opsForStream().add(MapRecord.create(key, fields(fieldsAndValues))).block();
        }
        String truncated = "{\"id\":\"t-3\",\"time\":";
        template().opsForStream().add(MapRecord.create(key, Map.of(CloudEventJson.FIELD, truncated))).block();

        TopologyBuilder b = new TopologyBuilder("foreign");
        b.stream("ticks", Quote.class, Named.as("ticks-in"))
                .mapValues(q -> q.price() * 2, Named.as("doubled"))
                .to("doubled", Named.as("doubled-sink"));
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().rejected()).isEqualTo(1);
        }
        String out = new StreamKeys(ns).stream("doubled", 0);
        List<Map<Object, Object>> raw = template().opsForStream().range(out, org.springframework.data.domain.Range.unbounded())
                .map(r -> r.getValue()).collectList().block();
        assertThat(raw).hasSize(2).allSatisfy(f -> assertThat(f).containsOnlyKeys(CloudEventJson.FIELD));
        assertThat(entries(ns, "doubled", 0)).extracting(f -> f.get("subject") + " " + f.get("data"))
                .containsExactly("AAA 3.0", "AAA 3.0");
        List<Map<String, String>> dlq = entries(ns, "ticks.dlq", 0);
        assertThat(dlq).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("error.reason", "invalid_envelope");
            assertThat(f.get("error.message"))
                    .contains("field 'cloudevent' is not a CloudEvent in JSON", "end-of-input");
        });
    }

    /** The README's example value. */
    public record Quote(String symbol, double price) {
    }

    /** Splits a command line into words as a POSIX shell does for words and single quotes (all the README uses). */
    private static List<String> shellWords(String line) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                word = word == null ? new StringBuilder() : word;
            } else if (c == ' ' && !quoted) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static String firstEntryId(String key) {
        return template().opsForStream().range(key, org.springframework.data.domain.Range.unbounded())
                .blockFirst().getId().getValue();
    }

    private static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
