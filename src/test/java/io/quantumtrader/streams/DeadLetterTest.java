package io.quantumtrader.streams;

import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.runtime.EventError;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.quantumtrader.streams.RedisTestSupport.entries;
import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.RedisTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Poison never blocks a partition: bad entries go to {@code <stream>.dlq} with the reason, good ones flow. */
class DeadLetterTest {

    @Test
    void undecodableInvalidAndFailingEntriesAreDeadLetteredWhileGoodOnesFlow() {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        publisher.send("ticks", "A", new Tick("A", 10, 1), 1_000L).block();
        publisher.sendRaw("ticks", "A", Map.of("garbage", "yes")).block();                          // no envelope
        publisher.send("ticks", "A", new Tick("A", 11, 2), 2_000L).block();
        Map<String, String> badJson = new java.util.LinkedHashMap<>(
                CloudEventJson.flatten(EnvelopeCodec.encode("ticks", "test", "bad-json", "A", Map.of(), 3_000L, null)));
        badJson.put("data", "{\"symbol\": \"A\", \"price\": ");
        publisher.sendRaw("ticks", "A", badJson).block();                                            // truncated JSON
        Map<String, String> invalid = new java.util.LinkedHashMap<>(badJson);
        invalid.put("data", "{\"symbol\":\"A\",\"price\":-5,\"seq\":4}");
        publisher.sendRaw("ticks", "A", invalid).block();                                            // fails validation
        publisher.send("ticks", "A", new Tick("A", 13, 13), 5_000L).block();                        // processor throws
        publisher.send("ticks", "A", new Tick("A", 14, 14), 6_000L).block();

        AtomicInteger attemptsOn13 = new AtomicInteger();
        TopologyBuilder b = new TopologyBuilder("dlq-app");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .mapValues(t -> {
                    if (t.seq() == 13) {
                        attemptsOn13.incrementAndGet();
                        throw new IllegalStateException("unlucky tick " + t.seq());
                    }
                    return new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100));
                }, Named.as("pricer"))
                .to("priced");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns)
                .withRetryBackoff(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)));
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 7);
            assertThat(runtime.counters().deadLettered()).isEqualTo(4);
            assertThat(runtime.counters().acknowledged()).isEqualTo(7);
            assertThat(runtime.counters().processorRetries()).isEqualTo(3);
        }

        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(1L, 2L, 14L);
        assertThat(attemptsOn13.get()).as("first attempt + 3 retries").isEqualTo(4);

        List<Map<String, String>> dlq = entries(ns, "ticks.dlq", 0);
        assertThat(dlq).hasSize(4);
        assertThat(dlq.get(0)).containsEntry("garbage", "yes").containsEntry("error.stage", "ticks-in")
                .containsEntry("error.class", "io.quantumtrader.streams.runtime.RejectedEntryException")
                .containsEntry("error.reason", "invalid_envelope")
                .containsEntry("error.attempt", "1").containsEntry("error.stream", "ticks");
        assertThat(dlq.get(0).get("error.message")).contains("missing CloudEvents attribute 'id'");
        assertThat(dlq.get(1).get("error.message")).startsWith("cannot decode Tick");
        assertThat(dlq.get(1).get("data")).isEqualTo("{\"symbol\": \"A\", \"price\": ");
        assertThat(dlq.get(2).get("error.message")).contains("price must be positive");
        assertThat(dlq.get(3)).containsEntry("error.stage", "pricer").containsEntry("error.attempt", "4")
                .containsEntry("error.class", "java.lang.IllegalStateException")
                .containsEntry("error.message", "unlucky tick 13");
        assertThat(dlq.get(3).get("error.source_id")).matches("\\d+-\\d+");

        List<EventError> errors = entries(ns, "system.event_error", 0).stream()
                .map(f -> new JsonSerde<>(EventError.class).deserialize(Envelope.fromFields(f).data())).toList();
        assertThat(errors).extracting(EventError::stage).containsExactly("ticks-in", "ticks-in", "ticks-in", "pricer");
        assertThat(errors).allSatisfy(e -> assertThat(e.deadLetterStream()).isEqualTo("ticks.dlq"));
    }

    /**
     * Two equal records made from one input entry (a flatMap emitting one value twice: two identical fills) that both
     * fail are two dead letters, each counted; one record failing in two branches is one. Found in review
     * (2026-12-06): failed records were told apart by equal key and value, so the second copy's failure was written
     * and counted nowhere.
     */
    @Test
    void equalRecordsOfOneEntryThatFailAreEachDeadLetteredButOneRecordInTwoBranchesOnce() {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        publisher.send("ticks", "A", new Tick("A", 10, 1), 1_000L).block();
        publisher.send("ticks", "A", new Tick("A", 13, 2), 2_000L).block();   // its two copies fail
        publisher.send("other", "B", new Tick("B", 20, 2), 3_000L).block();   // fails in both branches

        TopologyBuilder b = new TopologyBuilder("dlq-equal-records");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .flatMapValues(t -> List.of(t, t), Named.as("twice"))
                .mapValues(DeadLetterTest::failOnSeq2, Named.as("pricer"))
                .to("priced");
        var other = b.stream("other", Tick.class, Named.as("other-in"));
        other.mapValues(DeadLetterTest::failOnSeq2, Named.as("left")).to("left-out");
        other.mapValues(DeadLetterTest::failOnSeq2, Named.as("right")).to("right-out");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withRetryBackoff(List.of(Duration.ofMillis(5)));
        long deadLettered;
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
            deadLettered = runtime.counters().deadLettered();
        }
        assertThat(values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq).containsExactly(1L, 1L);
        assertThat(entries(ns, "ticks.dlq", 0)).as("one dead letter per failed copy").hasSize(2);
        assertThat(entries(ns, "other.dlq", 0)).as("one record failing in two branches").hasSize(1);
        assertThat(deadLettered).isEqualTo(3);
    }

    private static PricedTick failOnSeq2(Tick t) {
        if (t.seq() == 2) {
            throw new IllegalStateException("unlucky tick " + t.seq());
        }
        return new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100));
    }

    /**
     * An input entry with a field named error.reason (one put back from a dead-letter stream by hand): its processor
     * failure's dead letter was reported under the input's reason, the input field taken for the engine's (review
     * 2026-12-06). The input's error.* fields are kept as input.error.*.
     */
    @Test
    void anInputFieldNamedErrorStarIsNotTakenForTheEnginesOwn() {
        String ns = RedisTestSupport.freshNamespace();
        Map<String, String> f = new java.util.LinkedHashMap<>(HostileEntryTest.tick("e1", 13, System.currentTimeMillis()));
        f.put("error.reason", "future_event_time");
        f.put("error.stage", "somewhere-else");
        HostileEntryTest.xadd(ns, f);
        TopologyBuilder b = new TopologyBuilder("dlq-input-error-fields");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .mapValues(t -> { throw new IllegalStateException("unlucky"); }, Named.as("pricer"))
                .to("priced");
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace(ns)
                .withRetryBackoff(List.of()), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
            assertThat(runtime.counters().processorRetries()).as("no retries: dead-lettered at first failure (README)").isZero();
        }
        Map<String, String> dl = entries(ns, "ticks.dlq", 0).get(0);
        assertThat(dl).containsEntry("error.attempt", "1");
        assertThat(dl.get("error.class")).isEqualTo("java.lang.IllegalStateException");
        assertThat(dl.get("error.reason")).as("a processor failure has no refusal reason").isNull();
        assertThat(dl.get("error.stage")).isEqualTo("pricer");
        assertThat(dl).containsEntry("input.error.reason", "future_event_time").containsEntry("input.error.stage", "somewhere-else");
    }

    @Test
    void defaultRetryBackoffIsOneHundredFiveHundredTwoThousandMillis() {
        assertThat(StreamsConfig.defaults().retryBackoff())
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(2000));
    }
}
