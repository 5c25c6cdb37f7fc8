package io.quantumtrader.trader;

import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.execution.PaperVenue;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.position.PositionOutput;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.market.TradesCsv;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.Duration;

/**
 * Shared by the trading tests that compare the Redis pipeline with the test driver: real ticks, and the records of a
 * stream rendered as {@code key|event time|value} so the two can be compared entry by entry.
 */
final class TradingFixtures {

    private static final JsonSerde<Object> JSON = new JsonSerde<>(Object.class);

    private TradingFixtures() {
    }

    /** @return the first {@code n} of the bundled Bitstamp trades as BTC-USD ticks */
    static List<PriceTick> realTicks(int n) {
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            List<PriceTick> all = TradesCsv.read(in, "BTC-USD").ticks();
            return all.subList(0, Math.min(n, all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the project's stream catalog */
    static StreamCatalog catalog() {
        return StreamCatalog.load(Path.of("topology/streams.yaml"));
    }

    /**
     * @return the project's stream catalog with {@code partitions} partitions for every stream keyed by symbol or
     *         account — the market data layer, the portfolio's outputs, the repartition streams that gather the market
     *         layer's records by account, and the reporting layer
     */
    static StreamCatalog catalog(int partitions) {
        StreamCatalog base = catalog();
        Map<String, io.quantumtrader.streams.redis.StreamSpec> specs = new HashMap<>();
        base.streams().forEach((name, s) -> specs.put(name, "symbol".equals(s.key()) || "account".equals(s.key())
                ? new io.quantumtrader.streams.redis.StreamSpec(name, s.key(), partitions, s.maxLen(), s.retention()) : s));
        for (String r : List.of("ticks-by-account", "signals-by-account", "regimes-by-account", "by-account")) {
            String name = QuantumTraderTopology.APPLICATION_ID + "-" + r + "-repartition";
            specs.put(name, new io.quantumtrader.streams.redis.StreamSpec(name, "account", partitions, 0, java.time.Duration.ofDays(30)));
        }
        return new StreamCatalog(base.spec("quantum-trader-unlisted"), specs);
    }

    /** @return per stream, what the topology writes in the test driver for these ticks */
    static Map<String, List<String>> driverOutputs(Topology topology, List<PriceTick> ticks, List<String> streams) {
        Map<String, List<String>> out = new HashMap<>();
        try (TopologyTestDriver driver = alignedDriver(topology)) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);
            for (String s : streams) {
                out.put(s, driver.createOutputStream(s, Object.class).readRecordsToList().stream()
                        .map(r -> r.key() + "|" + r.timestamp() + "|" + r.value()).toList());
            }
        }
        return out;
    }

    /**
     * The test driver as the trading topology runs: event-time alignment on (the portfolio merges ticks, signals and
     * regime updates in event time). Pipe the ticks, then {@code endInput(TICKS)}.
     */
    static TopologyTestDriver alignedDriver(Topology topology) {
        return new TopologyTestDriver(topology, java.time.Instant.EPOCH,
                io.quantumtrader.streams.runtime.IngestLimits.defaults().withoutEventTimeSkewCheck().withoutStreamTimeLead(), ALIGNMENT);
    }

    /** The alignment the trading topology runs with (replay and serve). */
    static final io.quantumtrader.streams.runtime.InputAlignment ALIGNMENT = io.quantumtrader.streams.runtime.InputAlignment.byWatermarks();

    /** Publishes the ticks in order to {@code market.tick.price} of namespace {@code ns}, with watermarks, and ends the input. */
    static void publish(ReactiveStringRedisTemplate redis, String ns, StreamCatalog catalog, List<PriceTick> ticks) {
        publishChunk(redis, ns, catalog, ticks);
        endTicks(redis, ns, catalog);
    }

    /** Publishes the ticks in order with watermarks (the input goes on: {@link #endTicks} ends it). */
    static void publishChunk(ReactiveStringRedisTemplate redis, String ns, StreamCatalog catalog, List<PriceTick> ticks) {
        new EventPublisher(redis, new StreamKeys(ns), catalog, "test")
                .sendAll(Flux.fromIterable(ticks).map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t, t.timestamp())), 500, true)
                .block();
    }

    /** Publishes "no more ticks" (watermark {@link Long#MAX_VALUE} on {@code market.tick.price}). */
    static void endTicks(ReactiveStringRedisTemplate redis, String ns, StreamCatalog catalog) {
        new EventPublisher(redis, new StreamKeys(ns), catalog, "test").watermark(QuantumTraderTopology.TICKS, Long.MAX_VALUE).block();
    }

    /**
     * @return the payloads of every partition of {@code stream} in namespace {@code ns} (partitions found in Redis, up
     *         to 64): one partition's in its order; several partitions' merged by (event time, subject), stable — the
     *         order one task produced them in when it works through records that way (the portfolio: by event time,
     *         one millisecond's ticks by symbol)
     */
    static <T> List<T> payloads(io.quantumtrader.app.RedisConnection redis, String ns, String stream, Class<T> type) {
        JsonSerde<T> serde = new JsonSerde<>(type);
        List<Envelope> all = new java.util.ArrayList<>();
        int partitions = 0;
        for (int p = 0; p < 64; p++) {
            String key = new StreamKeys(ns).stream(stream, p);
            if (!Boolean.TRUE.equals(redis.template().hasKey(key).block())) {
                continue;
            }
            partitions++;
            all.addAll(redis.template().opsForStream().range(key, Range.unbounded())
                    .map(r -> Envelope.fromFields(StreamEntry.fieldsOf(r))).collectList().block());
        }
        if (partitions > 1) {
            all.sort(java.util.Comparator.<Envelope>comparingLong(e -> e.time().toEpochMilli())
                    .thenComparing(e -> e.subject() == null ? "" : e.subject()));
        }
        return all.stream().map(e -> serde.deserialize(e.data())).toList();
    }

    /** Publishes the ticks in order with deterministic event ids {@code tick-<index>} (also their trace ids). */
    static void publishWithIds(ReactiveStringRedisTemplate redis, String ns, StreamCatalog catalog, List<PriceTick> ticks) {
        java.util.concurrent.atomic.AtomicInteger i = new java.util.concurrent.atomic.AtomicInteger();
        new EventPublisher(redis, new StreamKeys(ns), catalog, "test")
                .sendAll(Flux.fromIterable(ticks).map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t,
                        t.timestamp(), "tick-" + i.getAndIncrement())), 500, true)
                .then(new EventPublisher(redis, new StreamKeys(ns), catalog, "test").watermark(QuantumTraderTopology.TICKS, Long.MAX_VALUE))
                .block();
    }

    /** @return what is in partition 0 of {@code stream} on Redis, rendered like {@link #driverOutputs} */
    static List<String> redisOutputs(ReactiveStringRedisTemplate redis, String ns, String stream) {
        return redisOutputs(redis, ns, stream, 0);
    }

    /** @return what is in partition {@code partition} of {@code stream} on Redis, rendered like {@link #driverOutputs} */
    static List<String> redisOutputs(ReactiveStringRedisTemplate redis, String ns, String stream, int partition) {
        return redis.opsForStream().range(new StreamKeys(ns).stream(stream, partition), Range.unbounded())
                .map(r -> {
                    Envelope e = Envelope.fromFields(StreamEntry.fieldsOf(r));
                    return e.subject() + "|" + e.time().toEpochMilli() + "|" + JSON.deserialize(e.data());
                })
                .collectList().block();
    }

    /**
     * Runs the trading topology with {@code rules} on Redis (event-time alignment on, one partition per stream) over
     * {@code ticks} until it drained (at most 3 minutes).
     *
     * @return the namespace it ran in ({@code prefix} and a unique suffix)
     */
    static String runOnRedis(io.quantumtrader.app.RedisConnection redis, io.quantumtrader.trader.risk.RiskRules rules,
                             List<PriceTick> ticks, String prefix) {
        return runOnRedis(redis, rules, ticks, prefix, runtime -> { });
    }

    /** As {@link #runOnRedis(io.quantumtrader.app.RedisConnection, io.quantumtrader.trader.risk.RiskRules, List, String)}, {@code drained} seeing the runtime once it drained (its meters) */
    static String runOnRedis(io.quantumtrader.app.RedisConnection redis, io.quantumtrader.trader.risk.RiskRules rules,
                             List<PriceTick> ticks, String prefix,
                             java.util.function.Consumer<io.quantumtrader.streams.runtime.StreamsRuntime> drained) {
        String ns = prefix + "-" + System.nanoTime();
        StreamCatalog catalog = catalog();
        try (io.quantumtrader.streams.runtime.StreamsRuntime runtime = new io.quantumtrader.streams.runtime.StreamsRuntime(
                QuantumTraderTopology.build(io.quantumtrader.trader.regime.RegimeRules.defaults(), rules),
                io.quantumtrader.streams.runtime.StreamsConfig.defaults().withAlignment(ALIGNMENT).withNamespace(ns).withCatalog(catalog),
                redis.template())) {
            runtime.start();
            publish(redis.template(), ns, catalog, ticks);
            org.assertj.core.api.Assertions.assertThat(runtime.awaitDrained(java.time.Duration.ofMinutes(3))).as("drained").isTrue();
            countedOrders(ns, runtime);
            drained.accept(runtime);
        }
        return ns;
    }

    /** What each namespace's run counted of its orders ({@link #countedOrders}), for {@code DifferentialTest.assertSameResults}. */
    static final Map<String, Map<String, Long>> COUNTED_ORDERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The nodes that count orders cancelled (trades.order.rejected) and entries re-sized at the fill. */
    static final java.util.Set<String> ORDER_NODES = java.util.Set.of("paper-venue", "position-state");

    /**
     * Keeps what the portfolio's venue and position state counted ({@code qt.streams.node.records.counted}) in the
     * run of namespace {@code ns}, once it drained: {@code node|reason} → count, the counts above 0 (summed over tasks).
     *
     * @return those counts
     */
    static Map<String, Long> countedOrders(String ns, io.quantumtrader.streams.runtime.StreamsRuntime runtime) {
        Map<String, Long> out = new TreeMap<>();
        runtime.metrics().registry().find("qt.streams.node.records.counted").counters().forEach(c -> {
            String node = c.getId().getTag("node");
            if (ORDER_NODES.contains(node) && c.count() > 0) {
                out.merge(node + "|" + c.getId().getTag("reason"), (long) c.count(), Long::sum);
            }
        });
        COUNTED_ORDERS.put(ns, out);
        return out;
    }

    /** @return the test driver's {@code qt.streams.node.records.counted} of the venue and position state, those above 0 */
    static Map<String, Long> countedOrders(TopologyTestDriver driver) {
        Map<String, Long> out = new TreeMap<>();
        driver.countedRecords().forEach((key, n) -> {
            if (ORDER_NODES.contains(key.substring(0, key.indexOf('|'))) && n > 0) {
                out.put(key, n);
            }
        });
        return out;
    }

    /** @return {@code reference} after every tick of {@code ticks} and the end */
    static io.quantumtrader.trader.reference.IndependentReference ran(io.quantumtrader.trader.reference.IndependentReference reference,
                                                                     List<PriceTick> ticks) {
        ticks.forEach(reference::onTick);
        reference.end();
        return reference;
    }

    /**
     * @return every output event as {@code <stream>/<trace id of the originating tick>/<n>} → key, event time and
     *         payload (entry ids, and so output event ids, depend on when the ticks were appended; the ticks' own event
     *         ids, propagated as trace ids, do not)
     */
    static Map<String, String> outputsByOrigin(ReactiveStringRedisTemplate redis, String ns, StreamCatalog catalog) {
        Map<String, String> out = new TreeMap<>();
        for (String stream : catalog.streams().keySet()) {
            if (stream.equals(QuantumTraderTopology.TICKS) || stream.startsWith("system.") || stream.endsWith("-repartition")) {
                continue;
            }
            Map<String, Integer> n = new java.util.HashMap<>();
            for (int p = 0; p < catalog.spec(stream).partitions(); p++) {
                // collectList (unbounded demand), not toIterable: with a busy loop beside the suite, a toIterable XRANGE
                // here once never completed ("XRANGE. Command timed out after 1 minute(s)"): Lettuce had left the
                // connection unread (KeepReading, which the test's connection now has, and KeepReadingTest)
                redis.opsForStream().range(new StreamKeys(ns).stream(stream, p), Range.unbounded())
                        .collectList().block(Duration.ofSeconds(60)).forEach(r -> {
                    Envelope e = Envelope.fromFields(StreamEntry.fieldsOf(r));
                    String origin = stream + "/" + e.traceId();
                    // placed_by names the Redis entry (<stream>/<id>) that placed an order: the id is where it was appended, not
                    // what it was; the stream stays compared
                    String data = e.data().replaceAll("\"placed_by\":\"([^\"/]*/)?[0-9]+-[0-9]+\"", "\"placed_by\":\"$1<entry id>\"");
                    out.put(origin + "/" + n.merge(origin, 1, Integer::sum), e.subject() + "|" + e.time().toEpochMilli() + "|" + data);
                });
            }
        }
        return out;
    }

    /**
     * The portfolio's four stores and its tick path up to position state, as {@link QuantumTraderTopology} runs them:
     * ticks → paper venue (fills to {@code fills}, rejections to {@code rejected}) → position state.
     *
     * @return position state's output, for the caller's sinks
     */
    static EventStream<String, PositionOutput> venueAndPositionState(
            TopologyBuilder b, RiskRules rules) {
        b.addStateStore(StoreSpec.keyValueStore("account", Account.class));
        b.addStateStore(StoreSpec.keyValueStore("positions", Position.class));
        b.addStateStore(StoreSpec.keyValueStore("orders", PendingOrder.class));
        b.addStateStore(StoreSpec.keyValueStore("regimes", RegimeUpdate.class));
        var venue = b.stream("ticks", PriceTick.class)
                .process(() -> new PaperVenueProcessor(PaperVenue.defaults(), rules),
                        Named.as("paper-venue"), "orders", "account", "positions", "regimes");
        venue.flatMapValues(VenueOutput::fills, Named.as("fills")).to("fills");
        venue.flatMapValues(VenueOutput::rejected, Named.as("rejections")).to("rejected");
        return venue.process(() -> new PositionStateProcessor(rules), Named.as("position-state"),
                "positions", "account", "regimes", "orders");
    }
}
