package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay killed at a random commit (after processing a batch, before committing it) and resumed by a new instance
 * produces exactly what an uninterrupted run produces: same trades, same daily P&amp;L, same audit log.
 */
class TradingCrashRecoveryTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void aReplayKilledAtARandomPointAndResumedGivesTheSameResults() throws Exception {
        List<PriceTick> ticks;
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            ticks = TradesCsv.read(in, "BTC-USD").ticks().subList(0, 20_000);
        }
        List<String> streams = List.of(QuantumTraderTopology.CANDLES, QuantumTraderTopology.SIGNALS,
                QuantumTraderTopology.EVALUATIONS, QuantumTraderTopology.FILLS, QuantumTraderTopology.CLOSED,
                QuantumTraderTopology.DAILY_STATUS, QuantumTraderTopology.AUDIT);
        Map<String, List<String>> expected = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build())) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            for (String s : streams) {
                expected.put(s, driver.createOutputStream(s, Object.class).readRecordsToList().stream()
                        .map(r -> r.key() + "|" + r.timestamp() + "|" + r.value()).toList());
            }
        }
        assertThat(expected.get(QuantumTraderTopology.CLOSED)).isNotEmpty();

        String ns = "crash-" + System.nanoTime();
        StreamCatalog catalog = StreamCatalog.load(Path.of("topology/streams.yaml"));
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog).withBatchSize(200);
        new EventPublisher(REDIS.template(), new StreamKeys(ns), catalog, "test")
                .sendAll(Flux.fromIterable(ticks).map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t, t.timestamp())), 500)
                .block();
        int crashAt = 5 + new Random().nextInt(80);   // of ~100 commits
        AtomicInteger commits = new AtomicInteger();
        AtomicReference<StreamsRuntime> victim = new AtomicReference<>();
        StreamsRuntime first = new StreamsRuntime(QuantumTraderTopology.build(), config.withInstanceId("victim")
                .withBeforeCommit((task, n) -> {
                    if (commits.incrementAndGet() == crashAt) {
                        victim.get().kill();
                        return Mono.never();
                    }
                    return Mono.empty();
                }), REDIS.template());
        victim.set(first);
        first.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> commits.get() >= crashAt);

        try (StreamsRuntime second = new StreamsRuntime(QuantumTraderTopology.build(), config.withInstanceId("survivor"), REDIS.template())) {
            second.start();
            assertThat(second.awaitDrained(Duration.ofSeconds(90))).isTrue();
        }
        for (String s : streams) {
            List<String> actual = REDIS.template().opsForStream().range(new StreamKeys(ns).stream(s, 0), Range.unbounded())
                    .map(r -> {
                        Map<String, String> f = new LinkedHashMap<>();
                        r.getValue().forEach((k, v) -> f.put(String.valueOf(k), String.valueOf(v)));
                        Envelope e = Envelope.fromFields(f);
                        return e.subject() + "|" + e.time().toEpochMilli() + "|"
                                + new io.quantumtrader.streams.record.JsonSerde<>(Object.class).deserialize(e.data());
                    })
                    .collectList().block();
            assertThat(actual).as("%s after a crash at commit %d", s, crashAt).isEqualTo(expected.get(s));
        }
    }
}
