package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.RuntimeCounters;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.entries;
import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.RedisTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile entries XADDed by hand into the source stream of a running topology (review of 2026-12-06): each is
 * dead-lettered with its reason or processed once, the valid entries after it are processed exactly once, and the task
 * neither fails nor restarts on it.
 */
class HostileEntryTest {

    /** 2^63 ms: an entry id Redis takes (its ids are unsigned 64-bit) that does not fit a signed long. */
    static final String BEYOND_SIGNED = "9223372036854775808";

    /** Runs {@link #runtime} over {@code ns} until it drained (at most 20 s), then closes it. @return its counters */
    private static RuntimeCounters drain(String ns) {
        try (StreamsRuntime runtime = runtime(ns)) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).as("drained").isTrue();
            return runtime.counters();
        }
    }

    /** @return a topology {@code name}: ticks left-joined with the global table of {@code limits} (price in cents, -1 without a limit) to {@code priced} */
    static TopologyBuilder pricedWithLimits(String name) {
        TopologyBuilder b = new TopologyBuilder(name);
        io.quantumtrader.streams.dsl.GlobalTable<String, Tick> table = b.globalTable("limits", Tick.class,
                io.quantumtrader.streams.dsl.Materialized.as("limits-store"));
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .leftJoin(table, (k, v) -> v.symbol(), (tick, limit) -> new PricedTick(tick.symbol(), tick.seq(),
                        limit == null ? -1 : Math.round(limit.price())), Named.as("with-limit"))
                .to("priced");
        return b;
    }

    static StreamsRuntime runtime(String ns) {
        TopologyBuilder b = new TopologyBuilder("hostile");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .mapValues(t -> new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100)), Named.as("to-cents"))
                .to("priced");
        return new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace(ns), template());
    }

    /** @return a valid tick's entry (flat fields) with event id {@code eventId} */
    static Map<String, String> tick(String eventId, long seq, long timeMs) {
        return new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("ticks", "test", eventId, "A",
                new Tick("A", seq, seq), timeMs, null)));
    }

    static void xadd(String ns, Map<String, String> fields) {
        template().opsForStream().add(MapRecord.create(new StreamKeys(ns).stream("ticks", 0), fields)).block();
    }

    static void xadd(String ns, String entryId, Map<String, String> fields) {
        template().opsForStream().add(StreamRecords.newRecord().in(new StreamKeys(ns).stream("ticks", 0))
                .withId(RecordId.of(entryId)).ofMap(fields)).block();
    }

    /** @return a publisher into namespace {@code ns} with the default catalog, as producer {@code source} */
    static io.quantumtrader.streams.redis.EventPublisher feed(String ns, String source) {
        return new io.quantumtrader.streams.redis.EventPublisher(template(), new StreamKeys(ns),
                io.quantumtrader.streams.redis.StreamCatalog.defaults(), source);
    }

    /** @return a config for namespace {@code ns} with the default catalog, event-time alignment and punctuation every 50 ms */
    static StreamsConfig aligned(String ns) {
        return StreamsConfig.defaults().withNamespace(ns).withCatalog(io.quantumtrader.streams.redis.StreamCatalog.defaults())
                .withPunctuationInterval(Duration.ofMillis(50))
                .withAlignment(io.quantumtrader.streams.runtime.InputAlignment.byWatermarks());
    }

    /** Writes an entry of {@code stream} (partition 0) stamped 2099-01-01, otherwise valid (value "X" at {@code t0}), with XADD. */
    static void xaddDatedIn2099(String ns, String stream, long t0) {
        Map<String, String> future = new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode(stream, "evil",
                "future", "k", "X", t0, null)));
        future.put("time", "2099-01-01T00:00:00Z");
        template().opsForStream().add(MapRecord.create(new StreamKeys(ns).stream(stream, 0), future)).block();
    }

    static long now() {
        return System.currentTimeMillis();
    }

    /**
     * An entry id whose milliseconds do not fit a signed long (XADD with an explicit id; every id Redis makes after it
     * is as large). Before: reading its arrival for the dedupe window threw, the task failed and restarted on the same
     * entry forever, and the lag (health, awaitDrained) could not be computed while it was pending.
     */
    @Test
    void anEntryIdBeyondTheSignedRangeIsProcessedAndSoAreTheEntriesAfterIt() {
        String ns = RedisTestSupport.freshNamespace();
        xadd(ns, tick("e1", 1, now()));
        xadd(ns, BEYOND_SIGNED + "-0", tick("e2", 2, now()));
        xadd(ns, tick("e3", 3, now()));   // Redis gives it 9223372036854775808-1
        RuntimeCounters counters = drain(ns);
        assertThat(counters.restarts()).as("task restarts").isZero();
        assertThat(counters.recordsIn()).isEqualTo(3);
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(1L, 2L, 3L);
    }

    /**
     * An entry id in the future (XADD 9999999999999-0, year 2286) between an event and a producer's retry of it.
     * Before: the dedupe window counted from the entry id, so that one entry moved the window 270 years on and every id
     * seen before was forgotten: the retry was processed a second time.
     */
    @Test
    void anEntryIdInTheFutureDoesNotMakeTheDedupeWindowForgetEarlierIds() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        xadd(ns, tick("e1", 1, t));
        xadd(ns, "9999999999999-0", tick("e2", 2, t + 1));
        xadd(ns, tick("e1", 1, t));   // the producer sends e1 again
        RuntimeCounters counters = drain(ns);
        assertThat(counters.duplicates()).as("retry of e1 deduplicated").isEqualTo(1);
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(1L, 2L);
    }

    /**
     * Event times that RFC 3339 parsing takes but epoch milliseconds cannot hold (years ±300,000,000). Before: the
     * conversion threw an ArithmeticException out of the ingest guard, the task failed and restarted on the entry
     * forever. Now each is refused as an invalid envelope.
     */
    @Test
    void anEventTimeBeyondEpochMillisecondsIsDeadLetteredAndTheTaskGoesOn() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        xadd(ns, tick("e1", 1, t));
        Map<String, String> far = tick("e2", 2, t);
        far.put("time", "+300000000-01-01T00:00:00Z");
        xadd(ns, far);
        Map<String, String> past = tick("e3", 3, t);
        past.put("time", "-300000000-01-01T00:00:00Z");
        xadd(ns, past);
        xadd(ns, tick("e4", 4, t));
        RuntimeCounters counters = drain(ns);
        assertThat(counters.restarts()).as("task restarts").isZero();
        assertThat(counters.rejected()).isEqualTo(2);
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(1L, 4L);
        List<Map<String, String>> dlq = entries(ns, "ticks.dlq", 0);
        assertThat(dlq).extracting(d -> d.get("error.reason")).containsExactly("invalid_envelope", "invalid_envelope");
        assertThat(dlq).extracting(d -> d.get("id")).containsExactly("e2", "e3");
        assertThat(dlq.get(0).get("error.message")).contains("+300000000-01-01T00:00:00Z");
    }

    /**
     * Two inputs aligned by event time, and an entry of one of them stamped in 2099 (beyond the allowed skew: the ingest
     * guard refuses it). Before: the aligner held it by its time, as the head of its input, until the other input had
     * a record or a watermark after 2099, so every valid entry of that input behind it was held with it for good (the
     * other input flowed on). Now the aligner passes an entry the guard will refuse for its time straight on, as it
     * does one without a readable time, and the guard dead-letters it.
     */
    @Test
    void aFutureDatedEntryDoesNotHoldTheValidEntriesBehindItInAnAlignedInput() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        TopologyBuilder b = new TopologyBuilder("hostile-aligned");
        b.stream("left", String.class).merge(b.stream("right", String.class), Named.as("merge")).to("merged");
        io.quantumtrader.streams.redis.EventPublisher leftFeed = feed(ns, "left-feed");
        io.quantumtrader.streams.redis.EventPublisher rightFeed = feed(ns, "right-feed");
        long t0 = now() - 60_000;
        StreamsConfig config = aligned(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            leftFeed.send("left", "k", "L1", t0).block();
            xaddDatedIn2099(ns, "left", t0);
            leftFeed.send("left", "k", "L2", t0 + 2_000).block();
            leftFeed.send("left", "k", "L3", t0 + 4_000).block();
            rightFeed.send("right", "k", "R1", t0 + 1_000).block();
            rightFeed.send("right", "k", "R2", t0 + 3_000).block();
            rightFeed.send("right", "k", "R3", t0 + 5_000).block();
            leftFeed.watermark("left", t0 + 10_000).block();
            rightFeed.watermark("right", t0 + 10_000).block();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (RedisTestSupport.length(ns, "merged", 0) < 6 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(runtime.awaitDrained(Duration.ofSeconds(10))).as("drained").isTrue();
            assertThat(runtime.counters().rejected()).isEqualTo(1);
        }
        assertThat(values(ns, "merged", 0, String.class)).containsExactly("L1", "R1", "L2", "R2", "L3", "R3");
        assertThat(entries(ns, "left.dlq", 0)).extracting(d -> d.get("error.reason")).containsExactly("future_event_time");
    }

    /**
     * Event ids that are no ids: empty (CloudEvents 1.0: "MUST be a non-empty string"), not valid UTF-8 (read as U+FFFD,
     * so two different ids become one), and longer than the dedupe window can afford to remember (it keeps up to
     * 200,000 ids per task in memory and loads them all again at every start: 200,000 ids of 60,000 characters are
     * 12 GB). Before: the first of two empty ids, and of two ids that differ only in invalid bytes, was processed and
     * the second, a different event, dropped as its duplicate; the long id was remembered. Now each is refused as an
     * invalid envelope, and the valid entry after them is processed.
     */
    @Test
    void emptyUndecodableAndOverlongEventIdsAreDeadLettered() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        xadd(ns, tick("", 1, t));
        xadd(ns, tick("", 2, t));
        for (byte bad : new byte[]{(byte) 0xFF, (byte) 0xFE}) {
            Map<java.nio.ByteBuffer, java.nio.ByteBuffer> raw = new LinkedHashMap<>();
            tick("x", 3, t).forEach((f, v) -> raw.put(utf8(f), utf8(v)));
            raw.put(utf8("id"), java.nio.ByteBuffer.wrap(new byte[]{'i', 'd', bad}));
            template().execute(c -> c.streamCommands().xAdd(StreamRecords.rawBuffer(raw)
                    .withStreamKey(utf8(new StreamKeys(ns).stream("ticks", 0))))).blockLast();
        }
        xadd(ns, tick("I".repeat(60_000), 4, t));
        xadd(ns, tick("ok", 5, t));
        RuntimeCounters counters = drain(ns);
        assertThat(counters.duplicates()).as("duplicates").isZero();
        assertThat(counters.rejected()).isEqualTo(5);
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(5L);
        List<Map<String, String>> dlq = entries(ns, "ticks.dlq", 0);
        assertThat(dlq).extracting(d -> d.get("error.reason")).containsOnly("invalid_envelope").hasSize(5);
        assertThat(dlq).extracting(d -> d.get("error.message")).containsExactly(
                "event id is empty", "event id is empty", "field 'id' is not valid UTF-8", "field 'id' is not valid UTF-8",
                "event id of 60000 characters is longer than 256");
    }

    /**
     * The CloudEvents source keys the dedupe window with the stream and the id (since 2026-12-06), so it is bounded
     * like the id: a source of 60,000 characters is refused as an invalid envelope, one of 256 is accepted.
     */
    @Test
    void anOverlongEventSourceIsDeadLettered() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        Map<String, String> overlong = new LinkedHashMap<>(tick("long-source", 1, t));
        overlong.put("source", "S".repeat(60_000));
        xadd(ns, overlong);
        Map<String, String> longest = new LinkedHashMap<>(tick("longest-source", 2, t));
        longest.put("source", "S".repeat(256));
        xadd(ns, longest);
        RuntimeCounters counters = drain(ns);
        assertThat(counters.rejected()).isEqualTo(1);
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(2L);
        assertThat(entries(ns, "ticks.dlq", 0)).extracting(d -> d.get("error.message"))
                .containsExactly("event source of 60000 characters is longer than 256");
    }

    private static java.nio.ByteBuffer utf8(String s) {
        return java.nio.ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * An entry with a field twice (XADD key * id a ... data x data y: Redis keeps both) and one whose data is not
     * valid UTF-8. Before: the reader kept the last of the two values, so the first was silently discarded and the
     * event processed with whichever the writer put last, and the invalid bytes became U+FFFD inside the value (the
     * record's symbol changed). Now each is refused as an invalid envelope, naming the field.
     */
    @Test
    void anEntryWithAFieldTwiceOrBytesThatAreNotUtf8IsDeadLettered() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        String key = new StreamKeys(ns).stream("ticks", 0);
        Map<String, String> twice = tick("twice", 1, t);
        String first = twice.get("data");
        String second = tick("twice", 2, t).get("data");
        // XADD key * id twice time … subject A data <seq 1> data <seq 2>, as redis-cli would send it
        template().execute(org.springframework.data.redis.core.script.RedisScript.of(
                        "return redis.call('XADD', KEYS[1], '*', unpack(ARGV))", String.class), List.of(key),
                List.of("id", "twice", "time", twice.get("time"), "subject", "A", "data", first, "data", second)).blockLast();
        Map<java.nio.ByteBuffer, java.nio.ByteBuffer> raw = new LinkedHashMap<>();
        tick("bad-utf8", 3, t).forEach((f, v) -> raw.put(utf8(f), utf8(v)));
        byte[] data = "{\"symbol\":\"A?\",\"price\":3,\"seq\":3}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        data[12] = (byte) 0xFF;   // the '?'
        raw.put(utf8("data"), java.nio.ByteBuffer.wrap(data));
        template().execute(c -> c.streamCommands().xAdd(StreamRecords.rawBuffer(raw).withStreamKey(utf8(key)))).blockLast();
        xadd(ns, tick("ok", 5, t));
        RuntimeCounters counters = drain(ns);
        assertThat(counters.rejected()).isEqualTo(2);
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(5L);
        List<Map<String, String>> dlq = entries(ns, "ticks.dlq", 0);
        assertThat(dlq).extracting(d -> d.get("error.reason")).containsExactly("invalid_envelope", "invalid_envelope");
        assertThat(dlq).extracting(d -> d.get("error.message")).containsExactly(
                "field 'data' appears twice in the entry", "field 'data' is not valid UTF-8");
        assertThat(dlq.get(0).get("data")).as("the first of the two values").isEqualTo(first);
    }

    /**
     * Data whose JSON names a property twice ({"price":1,"price":1000}: which one a reader takes depends on its parser)
     * or gives a fraction for an integer (seq 7.9). Before: the value was decoded with the last price and seq 7, and
     * processed as if the writer had meant that. Now each is refused as an invalid value, naming the property.
     */
    @Test
    void dataWithAPropertyTwiceOrAFractionForAnIntegerIsDeadLettered() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        Map<String, String> twice = tick("twice", 6, t);
        twice.put("data", "{\"symbol\":\"A\",\"price\":1,\"price\":1000,\"seq\":6}");
        xadd(ns, twice);
        Map<String, String> fraction = tick("fraction", 7, t);
        fraction.put("data", "{\"symbol\":\"A\",\"price\":7,\"seq\":7.9}");
        xadd(ns, fraction);
        xadd(ns, tick("ok", 8, t));
        RuntimeCounters counters = drain(ns);
        assertThat(counters.rejected()).isEqualTo(2);
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(8L);
        List<Map<String, String>> dlq = entries(ns, "ticks.dlq", 0);
        assertThat(dlq).extracting(d -> d.get("error.reason")).containsExactly("invalid_value", "invalid_value");
        assertThat(dlq.get(0).get("error.message")).contains("\"price\"");
        assertThat(dlq.get(1).get("error.message")).contains("7.9");
    }

    /**
     * A global table's stream gets entries a source would refuse: an event type of another version and one of another
     * stream, both decodable. Before: the table's replicas checked only that an entry decodes, so each replaced the
     * key's value and the join saw the last (77) instead of the valid 10. Now a replica skips them, as the ingest guard
     * refuses them at a source, and counts them.
     */
    @Test
    void aGlobalTableSkipsEntriesOfAnotherVersionOrStream() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        String limits = new StreamKeys(ns).stream("limits", 0);
        Map<String, String> valid = new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "l1", "A",
                new Tick("A", 10, 1), t, null)));
        Map<String, String> v2 = new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "l2", "A",
                new Tick("A", 99, 2), t, null)));
        v2.put("type", "limits.v2");
        Map<String, String> other = new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "l3", "A",
                new Tick("A", 77, 3), t, null)));
        other.put("type", "orders.v1");
        for (Map<String, String> f : List.of(valid, v2, other)) {
            template().opsForStream().add(MapRecord.create(limits, f)).block();
        }
        TopologyBuilder b = pricedWithLimits("hostile-global");
        xadd(ns, tick("o1", 1, t));
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).as("drained").isTrue();
            // counted under the reason a source refuses each with (2026-12-06: the meter had no reason tag)
            assertThat(skippedByReason(runtime)).isEqualTo(Map.of("unsupported_version", 1.0, "wrong_type", 1.0));
        }
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::priceCents).containsExactly(10L);
    }

    /**
     * A global table's stream gets an entry with a field twice (data 99, then data 77: XADD keeps both) and one whose
     * data is not valid UTF-8, both after a valid entry for the same key. Before (2026-12-06): the replica read the
     * entries as maps of decoded strings, so it took 77 and then the value with U+FFFD for the bad byte, while a
     * source refuses both. Now the replica refuses them as a source does ({@code invalid_envelope}), counts them and
     * keeps the valid 10; the table goes on with the entries after them (12).
     */
    @Test
    void aGlobalTableSkipsEntriesWithAFieldTwiceOrBytesThatAreNotUtf8() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        String limits = new StreamKeys(ns).stream("limits", 0);
        Map<String, String> valid = new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "l1", "A",
                new Tick("A", 10, 1), t, null)));
        template().opsForStream().add(MapRecord.create(limits, valid)).block();
        Map<String, String> twice = new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "l2", "A",
                new Tick("A", 99, 2), t, null)));
        String second = CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "l2", "A", new Tick("A", 77, 2), t, null)).get("data");
        List<String> args = new java.util.ArrayList<>();
        twice.forEach((f, v) -> {
            args.add(f);
            args.add(v);
        });
        args.add("data");
        args.add(second);
        template().execute(org.springframework.data.redis.core.script.RedisScript.of(
                "return redis.call('XADD', KEYS[1], '*', unpack(ARGV))", String.class), List.of(limits), args).blockLast();
        Map<java.nio.ByteBuffer, java.nio.ByteBuffer> raw = new LinkedHashMap<>();
        CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "l3", "A", new Tick("A", 55, 3), t, null))
                .forEach((f, v) -> raw.put(utf8(f), utf8(v)));
        byte[] data = "{\"symbol\":\"A?\",\"price\":55,\"seq\":3}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        data[12] = (byte) 0xFF;   // the '?' (decoded, U+FFFD: a symbol "A\uFFFD" priced 55)
        raw.put(utf8("data"), java.nio.ByteBuffer.wrap(data));
        template().execute(c -> c.streamCommands().xAdd(StreamRecords.rawBuffer(raw).withStreamKey(utf8(limits)))).blockLast();
        TopologyBuilder b = pricedWithLimits("hostile-global-bytes");
        xadd(ns, tick("o1", 1, t));
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).as("drained").isTrue();
            template().opsForStream().add(MapRecord.create(limits, new LinkedHashMap<>(CloudEventJson.flatten(
                    EnvelopeCodec.encode("limits", "ops", "l4", "A", new Tick("A", 12, 4), t, null))))).block();
            xadd(ns, tick("o2", 2, t));
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).as("drained").isTrue();
            assertThat(skippedByReason(runtime)).isEqualTo(Map.of("invalid_envelope", 2.0));
            assertThat(runtime.counters().rejected()).as("the ticks are fine").isZero();
        }
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::priceCents).containsExactly(10L, 12L);
    }

    /**
     * Entry ids beyond 2^53 ms (XADD with an explicit id; Redis takes any unsigned 64-bit id), then a trim that
     * deletes one of them before the group read it. Before: the scripts read ids as Lua numbers (doubles), so the id
     * just before the first entry left, 9999999999999999999-1, came out as 10000000000000000000-1, after every entry
     * of the stream: the group's position was moved past the entries that were left, which were never read nor
     * dead-lettered. Now ids are compared and counted down as decimal strings: the trimmed entry is dead-lettered and
     * the two after it are processed.
     */
    @Test
    void entriesAfterATrimOfIdsBeyondDoublePrecisionAreStillRead() {
        String ns = RedisTestSupport.freshNamespace();
        long t = now();
        xadd(ns, tick("a", 1, t));
        drain(ns);
        xadd(ns, "9999999999999999999-1", tick("b1", 2, t));
        xadd(ns, tick("b2", 3, t));   // 9999999999999999999-2
        xadd(ns, tick("b3", 4, t));   // 9999999999999999999-3
        template().opsForStream().trim(new StreamKeys(ns).stream("ticks", 0), 2).block();   // XTRIM MAXLEN 2: b1 goes unread
        drain(ns);
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(1L, 3L, 4L);
        assertThat(entries(ns, "ticks.dlq", 0)).extracting(d -> d.get("error.reason")).containsExactly("deleted_before_read");
    }

    /**
     * Aligned inputs downstream of a task that got a refused entry stamped in 2099: raw → (task 0_0) → left; left and
     * right merged by event time (task 1_0). Before: task 0_0 published its watermark from every entry of a batch,
     * the refused one included, so it told task 1_0 that nothing earlier than 2099 would come on left; task 1_0 then
     * released right's records without waiting for left, and merged R2 before L2. Now the watermark follows only the
     * records the task accepted.
     */
    @Test
    void aRefusedFutureDatedEntryDoesNotAdvanceTheTasksWatermark() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        TopologyBuilder b = new TopologyBuilder("hostile-watermark");
        b.stream("raw", String.class).mapValues(v -> v, Named.as("to-left")).to("left");
        b.stream("left", String.class).merge(b.stream("right", String.class), Named.as("merge")).to("merged");
        io.quantumtrader.streams.redis.EventPublisher rawFeed = feed(ns, "raw-feed");
        io.quantumtrader.streams.redis.EventPublisher rightFeed = feed(ns, "right-feed");
        long t0 = now() - 60_000;
        StreamsConfig config = aligned(ns);
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            rawFeed.send("raw", "k", "L1", t0).block();
            xaddDatedIn2099(ns, "raw", t0);
            Thread.sleep(500);   // task 0_0 processes both: L1 reaches left
            rightFeed.send("right", "k", "R1", t0 + 1_000).block();
            rightFeed.send("right", "k", "R2", t0 + 3_000).block();
            Thread.sleep(1_000);   // task 1_0 may release R1 and R2 only if left's watermark says left is past them
            rawFeed.send("raw", "k", "L2", t0 + 2_000).block();
            Thread.sleep(500);
            rawFeed.watermark("raw", Long.MAX_VALUE).block();
            rightFeed.watermark("right", Long.MAX_VALUE).block();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).as("drained").isTrue();
            Object watermark = template().opsForHash().get(new StreamKeys(ns).watermarks("left", 0), "hostile-watermark:0_0").block();
            assertThat(watermark).as("task 0_0's watermark on left: end of input").isEqualTo(Long.toString(Long.MAX_VALUE));
        }
        assertThat(values(ns, "merged", 0, String.class)).containsExactly("L1", "R1", "L2", "R2");
        assertThat(entries(ns, "raw.dlq", 0)).extracting(d -> d.get("error.reason")).containsExactly("future_event_time");
    }

    /**
     * The envelope's error messages quote what the writer sent: they go to the dead letter and, for a global table's
     * entry, to the log. Before: a 'time' or 'specversion' of 60,000 characters with line breaks was quoted whole, so a
     * writer could forge log lines and fill the log. Now the quote is cut to 64 characters, controls as '?'.
     */
    @Test
    void envelopeErrorsQuoteAtMost64CharactersOnOneLine() {
        String hostile = "x\nFORGED LOG LINE\n" + "y".repeat(60_000);
        for (String attribute : List.of("time", "specversion")) {
            Map<String, String> f = tick("e", 1, now());
            f.put(attribute, hostile);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.quantumtrader.streams.record.Envelope.fromFields("ticks", f))
                    .as(attribute).isInstanceOf(io.quantumtrader.streams.record.InvalidEnvelopeException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(200));
        }
    }

    /** @return {@code qt.streams.global.entries.skipped} by its {@code reason} tag (null when it has none) */
    private static Map<String, Double> skippedByReason(StreamsRuntime runtime) {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (io.micrometer.core.instrument.Counter c : runtime.metrics().registry().find("qt.streams.global.entries.skipped").counters()) {
            out.merge(String.valueOf(c.getId().getTag("reason")), c.count(), Double::sum);
        }
        return out;
    }
}
