package io.quantumtrader.app;

import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.stream.MapRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay report gives its dead letters by reason, not only as one total (found in review, 2026-12-06: "dead-lettered
 * 412" said nothing of whether a producer sent future-dated ticks or a stage kept failing). Dead letters written by
 * hand into the dead-letter streams of a real Redis, so every count is known here.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReplayDeadLettersTest {

    @RegisterExtension
    static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();

    private static void add(RedisConnection c, String key, String reason, String stage, String errorClass) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "e");
        fields.put("error.class", errorClass);
        if (reason != null) {
            fields.put("error.reason", reason);
        }
        fields.put("error.stage", stage);
        c.template().opsForStream().add(MapRecord.create(key, fields)).block();
    }

    @Test
    void deadLettersAreCountedByReasonOverEveryDeadLetterStreamMostFrequentFirst() {
        StreamKeys keys = new StreamKeys("dead-letters");
        StreamCatalog catalog = catalog("""
                  market.tick.price:     { key: symbol, partitions: 2 }
                  signals.advisory.new:  { key: symbol }
                """);
        String ticksDlq = keys.stream(StreamKeys.deadLetter(QuantumTraderTopology.TICKS), 1);
        String signalsDlq = keys.stream(StreamKeys.deadLetter(QuantumTraderTopology.SIGNALS), 0);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            for (int i = 0; i < 3; i++) {
                add(c, ticksDlq, "future_event_time", "ticks-in", "io.quantumtrader.streams.runtime.RejectedEntryException");
            }
            add(c, ticksDlq, "invalid_value", "ticks-in", "io.quantumtrader.streams.runtime.RejectedEntryException");
            add(c, signalsDlq, "deleted_before_read", "signals-in", "EntriesDeletedBeforeRead");
            add(c, signalsDlq, null, "score-signal", "java.lang.ArithmeticException");
            add(c, signalsDlq, null, "score-signal", "java.lang.ArithmeticException");

            assertThat(ReplayReport.deadLettersByReason(c.template(), keys, catalog)).containsExactly(
                    Map.entry("future_event_time", 3L),
                    Map.entry("failed in score-signal (ArithmeticException)", 2L),
                    Map.entry("deleted_before_read", 1L),
                    Map.entry("invalid_value", 1L));
            assertThat(ReplayReport.deadLettersByReason(c.template(), new StreamKeys("none"), catalog)).isEmpty();
        }
    }

    /**
     * A processor's dead-letter stream ({@code <application-id>.<node>.dlq}: a record without an origin, a failed
     * punctuation) is in the report: found in review (2026-12-07), only the catalog streams' {@code .dlq} were.
     */
    @Test
    void aProcessorsDeadLetterStreamIsCounted() {
        StreamKeys keys = new StreamKeys("node-dead-letters");
        StreamCatalog catalog = catalog("""
                  market.tick.price:     { key: symbol, partitions: 2 }
                """);
        Map<String, Integer> dlqs = io.quantumtrader.streams.runtime.DeadLetterStreams.of(QuantumTraderTopology.build(), catalog);
        assertThat(dlqs).containsEntry("quantum-trader.exit-brain.dlq", 1).containsEntry("market.tick.price.dlq", 2)
                .containsEntry("quantum-trader.candles-sink.dlq", 2)
                .containsEntry("quantum-trader.candle-builder-window-aggregate.dlq", 2);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            add(c, keys.stream("quantum-trader.candle-builder-window-aggregate.dlq", 1), null, "candle-builder-window-aggregate",
                    "java.lang.IllegalStateException");
            assertThat(ReplayReport.deadLettersByReason(c.template(), keys, dlqs)).containsExactly(
                    Map.entry("failed in candle-builder-window-aggregate (IllegalStateException)", 1L));
        }
    }

    /** The prints the price band refused, by reason (the report gave one total before: review of 2026-12-06). */
    @Test
    void refusedPrintsAreCountedByReasonMostFrequentFirst() {
        StreamKeys keys = new StreamKeys("refused");
        StreamCatalog catalog = catalog("""
                  market.tick.refused: { key: symbol, partitions: 2 }
                """);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            io.quantumtrader.streams.redis.EventPublisher publisher =
                    new io.quantumtrader.streams.redis.EventPublisher(c.template(), keys, catalog, "test");
            int n = 0;
            for (String reason : java.util.List.of("price_band_unconfirmed", "price_band", "price_band_unconfirmed")) {
                String symbol = n % 2 == 0 ? "BTC-USD" : "ETH-USD";   // both partitions
                io.quantumtrader.trader.events.PriceTick tick = new io.quantumtrader.trader.events.PriceTick(symbol, 8, 1, 1_000L + n);
                publisher.send(QuantumTraderTopology.REFUSED_TICKS, symbol, new io.quantumtrader.trader.events.RefusedTick(
                        tick, reason, 800, 1_000L, -99, 10, "test", 2_000L + n), 2_000L + n).block();
                n++;
            }
            assertThat(ReplayReport.refusedByReason(c.template(), keys, catalog)).containsExactly(
                    Map.entry("price_band_unconfirmed", 2L), Map.entry("price_band", 1L));
            assertThat(ReplayReport.refusedByReason(c.template(), new StreamKeys("none"), catalog)).isEmpty();
        }
    }

    /** @return a catalog of {@code streams} (YAML entries under {@code streams:}), one partition each by default */
    private static StreamCatalog catalog(String streams) {
        return StreamCatalog.load(new java.io.ByteArrayInputStream(("""
                defaults: { partitions: 1, maxlen: 0, retention: 30d }
                streams:
                """ + streams).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
