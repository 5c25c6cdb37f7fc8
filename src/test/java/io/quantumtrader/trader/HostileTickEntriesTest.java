package io.quantumtrader.trader;

import io.micrometer.core.instrument.Counter;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.AfterAll;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Found in review (2026-12-07): hostile tick entries not in HostileInputTest. Each kind: one hostile entry among 2,000 real ticks. */
class HostileTickEntriesTest {

    static final RedisConnection REDIS = RedisConnection.embedded();
    static final String TICKS = QuantumTraderTopology.TICKS;

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    static Map<String, String> hostile(String kind, Map<String, String> f, PriceTick t) {
        Map<String, String> m = new LinkedHashMap<>(f);
        m.put("id", "hostile-" + kind);
        switch (kind) {
            case "no-subject" -> m.remove("subject");
            case "time-1960" -> m.put("time", "1960-01-01T00:00:00Z");
            default -> throw new IllegalArgumentException(kind);
        }
        return m;
    }

    /** The entries to write for tick {@code i}, in order: its valid entry, and hostile ones before or after it. */
    interface EntriesAt {
        List<Map<String, String>> at(int i, Map<String, String> valid, PriceTick t);
    }

    /**
     * Publishes the ticks (each as {@code entriesAt} says) into namespace {@code ns}, runs the trading topology over
     * them to their end and drained, and returns what {@code read} reads of the runtime before it closes.
     */
    static <T> T run(String ns, List<PriceTick> ticks, EntriesAt entriesAt, java.util.function.Function<StreamsRuntime, T> read) {
        StreamCatalog catalog = TradingFixtures.catalog();
        EventPublisher publisher = new EventPublisher(REDIS.template(), new StreamKeys(ns), catalog, "test");
        List<Mono<String>> writes = new ArrayList<>();
        for (int i = 0; i < ticks.size(); i++) {
            PriceTick t = ticks.get(i);
            String id = "tick-" + i;
            Map<String, String> valid = CloudEventJson.flatten(EnvelopeCodec.encode(TICKS, "feed", id, t.symbol(), t, t.timestamp(), id));
            entriesAt.at(i, valid, t).forEach(entry -> writes.add(publisher.sendRaw(TICKS, t.symbol(), entry)));
        }
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(),
                StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ns).withCatalog(catalog), REDIS.template())) {
            runtime.start();
            Flux.concat(writes).blockLast();
            TradingFixtures.endTicks(REDIS.template(), ns, catalog);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(90))).isTrue();
            return read.apply(runtime);
        }
    }

    /** One subject-less tick costs the partition's task its three retries (100 + 500 + 2000 ms) before it is dead-lettered. */
    @org.junit.jupiter.api.Test
    void tenSubjectlessTicksDoNotStallThePartition() {
        run("hostile-stall-" + System.nanoTime(), TradingFixtures.realTicks(2_000), (i, valid, t) -> {
            if (i % 200 != 100) {
                return List.of(valid);
            }
            Map<String, String> m = hostile("no-subject", valid, t);
            m.put("id", "hostile-" + i);
            return List.of(valid, m);
        }, runtime -> {
            // refused at the source, each: none went through a stage's retries (they took the drain from ~1.5 s to 26 s)
            assertThat(runtime.counters().rejected()).as("refused at the source (qt.streams.ingest.rejected)").isEqualTo(10);
            assertThat(runtime.counters().processorRetries()).as("retries of failing stages").isZero();
            return null;
        });
    }

    /**
     * A producer that forgot the subject sends the tick again with it, same event id (an idempotent producer's retry):
     * the corrected tick must be processed. The subject-less one was not refused at the source but accepted (its id
     * remembered by the dedupe window) and failed in price-band: the corrected one is skipped as a "duplicate".
     */
    @org.junit.jupiter.api.Test
    void aTickSentAgainWithItsSubjectAfterOneWithoutIsProcessed() {
        List<PriceTick> ticks = TradingFixtures.realTicks(2_000);
        List<String> streams = List.of(QuantumTraderTopology.CANDLES);
        Map<String, List<String>> expected = TradingFixtures.driverOutputs(QuantumTraderTopology.build(), ticks, streams);
        String ns = "hostile-resend-" + System.nanoTime();
        run(ns, ticks, (i, valid, t) -> {
            if (i != 1_000) {
                return List.of(valid);
            }
            Map<String, String> noSubject = new LinkedHashMap<>(valid);
            noSubject.remove("subject");
            return List.of(noSubject, valid);
        }, runtime -> {
            assertThat(runtime.counters().duplicates()).as("the corrected tick skipped as a duplicate").isZero();
            return null;
        });
        assertThat(TradingFixtures.redisOutputs(REDIS.template(), ns, QuantumTraderTopology.CANDLES)).isEqualTo(expected.get(QuantumTraderTopology.CANDLES));
    }

    /** requireSubject(PriceTick::symbol): a tick entry without a subject must be refused at the source like a wrong one. */
    @org.junit.jupiter.api.Test
    void aTickWithoutSubjectIsRefusedAtTheSourceWithAReasonAndCounted() {
        hostileTickIsDeadLetteredWithAReasonAndCounted("no-subject");
    }

    /** An event time before 1970 (negative epoch ms) is refused at the source like one in the future. */
    @org.junit.jupiter.api.Test
    void aTickStampedBefore1970IsRefusedAtTheSourceWithAReasonAndCounted() {
        hostileTickIsDeadLetteredWithAReasonAndCounted("time-1960");
    }

    void hostileTickIsDeadLetteredWithAReasonAndCounted(String kind) {
        List<PriceTick> ticks = TradingFixtures.realTicks(2_000);
        List<String> streams = List.of(QuantumTraderTopology.CANDLES, QuantumTraderTopology.REGIMES, QuantumTraderTopology.SIGNALS);
        Map<String, List<String>> expected = TradingFixtures.driverOutputs(QuantumTraderTopology.build(), ticks, streams);
        String ns = "hostile-" + kind + "-" + System.nanoTime();
        record Counts(long rejected, double metered, long dropped) {
        }
        Counts counts = run(ns, ticks, (i, valid, t) -> i == 1_000 ? List.of(valid, hostile(kind, valid, t)) : List.of(valid),
                runtime -> new Counts(runtime.counters().rejected(),
                        runtime.metrics().registry().find("qt.streams.ingest.rejected").counters().stream().mapToDouble(Counter::count).sum(),
                        runtime.counters().dropped()));
        long rejected = counts.rejected();
        double metered = counts.metered();
        long dropped = counts.dropped();
        List<Map<String, String>> dlq = io.quantumtrader.streams.RedisTestSupport.entriesOf(REDIS.template(), ns, TICKS + ".dlq", 0);
        Map<String, String> diffs = new LinkedHashMap<>();
        for (String s : streams) {
            List<String> got = TradingFixtures.redisOutputs(REDIS.template(), ns, s);
            if (!got.equals(expected.get(s))) {
                diffs.put(s, "expected " + expected.get(s).size() + " got " + got.size());
            }
        }
        assertThat(dlq).as("dead letters").hasSize(1);
        assertThat(dlq.get(0)).containsKey("error.reason");
        assertThat(metered).as("qt.streams.ingest.rejected").isEqualTo(1.0);
        assertThat(rejected).as("refused at the source").isEqualTo(1);
        assertThat(dropped).as("dropped by a stage (a window's negative_timestamp before 2026-12-07)").isZero();
        assertThat(diffs).isEmpty();
    }
}
