package io.quantumtrader.streams;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.quantumtrader.streams.RedisTestSupport.entries;
import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.RedisTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine's stateless core on a real (embedded) Redis: order, acknowledgement, dead letters, shutdown. */
class EngineIntegrationTest {

    static final int PARTITIONS = 3;
    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, 1, 0, null), Map.of(
            "ticks", new StreamSpec("ticks", "symbol", PARTITIONS, 0, null),
            "priced", new StreamSpec("priced", "symbol", PARTITIONS, 0, null)));

    static Topology pricingTopology() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        b.stream("ticks", Tick.class, Named.as("ticks-source"))
                .filter((symbol, t) -> t.seq() % 5 != 0, Named.as("drop-every-fifth"))
                .mapValues(t -> new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100)), Named.as("to-cents"))
                .to("priced", Named.as("priced-sink"));
        return b.build();
    }

    static Flux<EventPublisher.Event> ticks(int symbols, int perSymbol) {
        List<EventPublisher.Event> events = new ArrayList<>();
        for (int seq = 1; seq <= perSymbol; seq++) {
            for (int s = 0; s < symbols; s++) {
                String symbol = "SYM" + s;
                events.add(new EventPublisher.Event("ticks", symbol, new Tick(symbol, 100 + seq * 0.01, seq),
                        1_700_000_000_000L + seq));
            }
        }
        return Flux.fromIterable(events);
    }

    @Test
    void keepsPerKeyOrderAndAcknowledgesEveryInputExactlyOnce() {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(ns, CATALOG).sendAll(ticks(12, 200), 64).block();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withBatchSize(64);

        try (StreamsRuntime runtime = new StreamsRuntime(pricingTopology(), config, template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().recordsIn() == 2400);

            assertThat(runtime.counters().acknowledged()).isEqualTo(2400);
            assertThat(runtime.counters().recordsOut()).isEqualTo(2400 - 2400 / 5);
            StreamAdmin admin = new StreamAdmin(template());
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(admin.pendingCount(new StreamKeys(ns).stream("ticks", p), "pricing.0").block()).isZero();
            }
        }

        Map<String, List<Long>> seqBySymbol = new HashMap<>();
        int total = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            for (PricedTick t : values(ns, "priced", p, PricedTick.class)) {
                seqBySymbol.computeIfAbsent(t.symbol(), k -> new ArrayList<>()).add(t.seq());
                total++;
            }
        }
        assertThat(total).isEqualTo(1920);
        assertThat(seqBySymbol).hasSize(12);
        seqBySymbol.forEach((symbol, seqs) -> {
            assertThat(seqs).as("order of %s", symbol).isSorted().doesNotHaveDuplicates().hasSize(160);
            assertThat(seqs).noneMatch(s -> s % 5 == 0);
        });
    }

    @Test
    void propagatesTraceIdAndDerivesDeterministicEventIds() {
        String ns = RedisTestSupport.freshNamespace();
        String entryId = RedisTestSupport.publisher(ns, CATALOG).send("ticks", "AAA", new Tick("AAA", 1.5, 1), 1_700_000_000_123L).block();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG);
        try (StreamsRuntime runtime = new StreamsRuntime(pricingTopology(), config, template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() == 1);
        }
        int p = io.quantumtrader.streams.redis.Partitioner.partition("AAA", PARTITIONS);
        Envelope in = Envelope.fromFields("ticks", entries(ns, "ticks", p).get(0));
        Map<String, String> outFields = entries(ns, "priced", p).get(0);
        Envelope out = Envelope.fromFields("priced", outFields);
        assertThat(entryId).isNotNull();
        assertThat(out.traceId()).isEqualTo(in.traceId());
        assertThat(out.subject()).isEqualTo("AAA");
        assertThat(out.type()).isEqualTo("priced.v1");
        assertThat(out.source()).isEqualTo("pricing/priced-sink");
        assertThat(out.time()).isEqualTo(in.time());
        assertThat(out.idempotencyKey()).isEqualTo(out.id());
        // attributes the stream implies are not written (Envelope#toStructured(String)); the trace id differs from the
        // id; the entry is one field, the CloudEvent in JSON with data last, read back as flat fields
        assertThat(outFields.keySet()).containsExactly("id", "source", "time", "subject", "traceid", "data");
        assertThat(template().opsForStream().range(new io.quantumtrader.streams.redis.StreamKeys(ns).stream("priced", p),
                org.springframework.data.domain.Range.unbounded()).blockFirst().getValue())
                .containsOnlyKeys(io.quantumtrader.streams.record.CloudEventJson.FIELD);
        assertThat(out.data()).isEqualTo("{\"symbol\":\"AAA\",\"seq\":1,\"price_cents\":150}");
        assertThat(out.id()).isEqualTo(io.quantumtrader.streams.record.EnvelopeCodec.deterministicId(
                "pricing", "ticks/" + p + "/" + firstId(ns, p), "priced-sink", "1"));
    }

    private static String firstId(String ns, int p) {
        return template().opsForStream().range(new StreamKeys(ns).stream("ticks", p), org.springframework.data.domain.Range.unbounded())
                .blockFirst().getId().getValue();
    }

    @Test
    void gracefulCloseCommitsWhatIsInFlightAndLeavesNothingPending() {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(ns, CATALOG).sendAll(ticks(6, 500), 64).block();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withBatchSize(50);
        StreamsRuntime runtime = new StreamsRuntime(pricingTopology(), config, template());
        runtime.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.counters().recordsIn() > 0);
        assertThat(runtime.close(Duration.ofSeconds(20))).isTrue();

        long processed = runtime.counters().recordsIn();
        long pending = 0;
        long delivered = 0;
        StreamAdmin admin = new StreamAdmin(template());
        for (int p = 0; p < PARTITIONS; p++) {
            pending += admin.pendingCount(new StreamKeys(ns).stream("ticks", p), "pricing.0").block();
        }
        for (int p = 0; p < PARTITIONS; p++) {
            delivered += RedisTestSupport.length(ns, "priced", p);
        }
        assertThat(pending).as("entries read but not committed after a graceful close").isZero();
        assertThat(delivered).isEqualTo(runtime.counters().recordsOut());
        assertThat(processed).isLessThanOrEqualTo(3000);

        // a second runtime picks up exactly where the first stopped
        try (StreamsRuntime second = new StreamsRuntime(pricingTopology(), config.withInstanceId("second"), template())) {
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> processed + second.counters().recordsIn() == 3000);
        }
        Set<String> ids = new HashSet<>();
        long total = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            for (Map<String, String> f : entries(ns, "priced", p)) {
                ids.add(f.get("id"));
                total++;
            }
        }
        assertThat(total).isEqualTo(3000 - 600);
        assertThat(ids).hasSize((int) total);
    }
}
