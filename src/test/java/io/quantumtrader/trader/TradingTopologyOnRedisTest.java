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

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Bitstamp ticks (the first 20,000) through the trading topology on Redis give the same candles, regimes, advice,
 * evaluations, orders, fills, positions, exits, daily status and audit as the in-memory test driver, which processes
 * one tick at a time: the pipeline's results do not depend on batch boundaries or timing.
 */
class TradingTopologyOnRedisTest {

    static final RedisConnection REDIS = RedisConnection.embedded();

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    void redisAndTheTestDriverAgreeOnRealTicks() throws Exception {
        List<PriceTick> ticks;
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            ticks = TradesCsv.read(in, "BTC-USD").ticks().subList(0, 20_000);
        }
        List<String> streams = List.of(QuantumTraderTopology.CANDLES, QuantumTraderTopology.REGIMES,
                QuantumTraderTopology.SPIKES, QuantumTraderTopology.SIGNALS, QuantumTraderTopology.NO_SIGNALS,
                QuantumTraderTopology.EVALUATIONS, QuantumTraderTopology.REQUESTS, QuantumTraderTopology.FILLS,
                QuantumTraderTopology.OPENED, QuantumTraderTopology.CLOSED, QuantumTraderTopology.EXITS,
                QuantumTraderTopology.DAILY_STATUS, QuantumTraderTopology.AUDIT);

        java.util.Map<String, List<String>> expected = new java.util.HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build())) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            for (String s : streams) {
                expected.put(s, driver.createOutputStream(s, Object.class).readRecordsToList().stream()
                        .map(r -> r.key() + "|" + r.timestamp() + "|" + r.value()).toList());
            }
        }
        assertThat(expected.get(QuantumTraderTopology.SIGNALS)).isNotEmpty();
        assertThat(expected.get(QuantumTraderTopology.CLOSED)).as("trades happened").isNotEmpty();

        String ns = "trader-" + System.nanoTime();
        StreamCatalog catalog = StreamCatalog.load(Path.of("topology/streams.yaml"));
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(),
                StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog), REDIS.template())) {
            runtime.start();
            new EventPublisher(REDIS.template(), new StreamKeys(ns), catalog, "test")
                    .sendAll(Flux.fromIterable(ticks).map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t, t.timestamp())), 500)
                    .block();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).isTrue();
        }
        for (String s : streams) {
            List<String> actual = REDIS.template().opsForStream().range(new StreamKeys(ns).stream(s, 0), Range.unbounded())
                    .map(r -> {
                        java.util.Map<String, String> f = new java.util.LinkedHashMap<>();
                        r.getValue().forEach((k, v) -> f.put(String.valueOf(k), String.valueOf(v)));
                        Envelope e = Envelope.fromFields(f);
                        return e.subject() + "|" + e.time().toEpochMilli() + "|"
                                + new io.quantumtrader.streams.record.JsonSerde<>(Object.class).deserialize(e.data());
                    })
                    .collectList().block();
            assertThat(actual).as(s).isEqualTo(expected.get(s));
        }
    }
}
