package io.quantumtrader.trader;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.scaleout.InstanceProcess;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trading topology on three instances, each a child JVM, with 5 partitions for every stream keyed by symbol or
 * account (the symbol's and the account's differ); the instance that holds the portfolio task of the account is killed with {@code kill -9} while ticks still
 * arrive, after it opened positions. Its leases expire (TTL 2 s), the survivors take its tasks and its pending entries,
 * and every event the topology writes equals an uninterrupted single-instance run's, tick by tick
 * ({@link TradingFixtures#outputsByOrigin}): no fill, position or P&amp;L event lost, written twice or changed.
 */
class TradingFailoverTest {

    private static final int PARTITIONS = 5;
    private static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void theOwnerOfTheAccountKilledMidStreamChangesNoEventTheTopologyWrites() throws Exception {
        List<PriceTick> ticks = TradingFixtures.realTicks(20_000);
        StreamCatalog catalog = TradingFixtures.catalog(PARTITIONS);
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();

        String reference = "failover-ref-" + System.nanoTime();
        try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(), StreamsConfig.defaults()
                .withAlignment(TradingFixtures.ALIGNMENT).withNamespace(reference).withCatalog(catalog), redis)) {
            runtime.start();
            TradingFixtures.publishWithIds(redis, reference, catalog, ticks);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(120))).isTrue();
        }
        Map<String, String> expected = TradingFixtures.outputsByOrigin(redis, reference, catalog);

        String ns = "failover-" + System.nanoTime();
        String portfolio = portfolioGroup();
        List<InstanceProcess> instances = new ArrayList<>();
        try {
            for (String id : List.of("a", "b", "c")) {
                instances.add(InstanceProcess.start(TradingInstance.class, ns, id, List.of(
                        Integer.toString(RedisTestSupport.redis().port()), ns, id, Long.toString(TTL.toMillis()), "200",
                        Integer.toString(PARTITIONS))));
            }
            // ticks in chunks of 500 with a pause, on a thread of their own, held at half until the kill
            AtomicReference<Throwable> failure = new AtomicReference<>();
            java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
            Thread publisher = new Thread(() -> {
                try {
                    EventPublisher events = new EventPublisher(redis, new StreamKeys(ns), catalog, "test");
                    for (int from = 0; from < ticks.size(); from += 500) {
                        if (from == ticks.size() / 2 && !killed.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                            throw new IllegalStateException("no kill within 120 s");
                        }
                        int start = from;
                        events.sendAll(Flux.range(start, Math.min(500, ticks.size() - start)).map(i -> new EventPublisher.Event(
                                QuantumTraderTopology.TICKS, ticks.get(i).symbol(), ticks.get(i), ticks.get(i).timestamp(),
                                "tick-" + i)), 500, true).block(Duration.ofSeconds(30));
                        Thread.sleep(100);
                    }
                    events.watermark(QuantumTraderTopology.TICKS, Long.MAX_VALUE).block(Duration.ofSeconds(30));
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "ticks");
            publisher.setDaemon(true);
            publisher.start();

            // the kill: once the account's task has opened a position, whoever holds it
            await().atMost(Duration.ofSeconds(120)).until(() -> count(redis, ns, QuantumTraderTopology.OPENED) > 0);
            int accountPartition = accountPartition(redis, ns);
            String owner = redis.opsForValue().get(new StreamKeys(ns).leaseOwner(portfolio, accountPartition)).block(Duration.ofSeconds(5));
            InstanceProcess victim = instances.stream().filter(i -> i.instanceId().equals(owner)).findFirst().orElseThrow();
            // killed while it holds read and unacknowledged entries, so that their claim by the new owners is tested
            long killBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long pendingAtKill;
            while ((pendingAtKill = pendingOf(redis, ns, catalog, owner)) == 0 && System.nanoTime() < killBy) {
                Thread.sleep(5);
            }
            long outputsAtKill = total(redis, ns, catalog);
            victim.kill9();
            killed.countDown();

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String now = redis.opsForValue().get(new StreamKeys(ns).leaseOwner(portfolio, accountPartition)).block(Duration.ofSeconds(5));
                return now != null && !now.equals(owner);
            });
            publisher.join(Duration.ofSeconds(120).toMillis());
            assertThat(failure.get()).isNull();
            // drained: no group of the namespace has an entry unread or pending, and nothing new came for 3 s
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            long last = -1;
            List<String> undrained = List.of("not looked at yet");
            while (System.nanoTime() < deadline) {
                Thread.sleep(3000);
                long now = total(redis, ns, catalog);
                undrained = undrained(redis, ns, catalog);
                if (now == last && undrained.isEmpty()) {
                    break;
                }
                last = now;
            }
            System.out.printf("kill -9 of %s (the account's portfolio task, partition %d) after %d outputs, holding %d "
                    + "pending entries%n", owner, accountPartition, outputsAtKill, pendingAtKill);
            Map<String, String> actual = TradingFixtures.outputsByOrigin(redis, ns, catalog);
            List<String> onlyReference = expected.keySet().stream().filter(k -> !actual.containsKey(k)).limit(5).toList();
            List<String> onlyFailover = actual.keySet().stream().filter(k -> !expected.containsKey(k)).limit(5).toList();
            List<String> differ = expected.keySet().stream().filter(k -> actual.containsKey(k) && !actual.get(k).equals(expected.get(k)))
                    .limit(5).map(k -> k + ": " + expected.get(k) + " != " + actual.get(k)).toList();
            assertThat(List.of(onlyReference, onlyFailover, differ))
                    .as("%d events uninterrupted, %d with %s killed after %d outputs holding %d pending entries: only "
                            + "uninterrupted, only killed, different", expected.size(), actual.size(), owner, outputsAtKill,
                            pendingAtKill).containsOnly(List.of());
            assertThat(undrained).as("groups with entries unread or pending (group @ stream partition: pending, last delivered / last id)").isEmpty();
            assertThat(expected.keySet()).anyMatch(k -> k.startsWith(QuantumTraderTopology.CLOSED + "/"));
            instances.stream().filter(i -> i != victim).forEach(i -> assertThat(i.output()).doesNotContain("ERROR"));
        } finally {
            instances.forEach(InstanceProcess::close);
        }
    }

    /** @return the consumer group of the portfolio's sub-topology (the one reading the ticks gathered by account) */
    private static String portfolioGroup() {
        Subtopology s = QuantumTraderTopology.build().taskSubtopologies().stream()
                .filter(t -> t.sourceStreams().contains(QuantumTraderTopology.APPLICATION_ID + "-ticks-by-account-repartition"))
                .findFirst().orElseThrow();
        return StreamKeys.group(QuantumTraderTopology.APPLICATION_ID, s.id());
    }

    /** @return the partition of the ticks gathered by account that holds entries (the account's) */
    private static int accountPartition(ReactiveStringRedisTemplate redis, String ns) {
        for (int p = 0; p < PARTITIONS; p++) {
            Long n = redis.opsForStream().size(new StreamKeys(ns).stream(QuantumTraderTopology.APPLICATION_ID
                    + "-ticks-by-account-repartition", p)).block(Duration.ofSeconds(5));
            if (n != null && n > 0) {
                return p;
            }
        }
        throw new IllegalStateException("no ticks gathered by account yet");
    }

    private static long count(ReactiveStringRedisTemplate redis, String ns, String stream) {
        long n = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            Long len = redis.opsForStream().size(new StreamKeys(ns).stream(stream, p)).block(Duration.ofSeconds(5));
            n += len == null ? 0 : len;
        }
        return n;
    }

    /** @return entries in every stream of the catalog, all partitions */
    private static long total(ReactiveStringRedisTemplate redis, String ns, StreamCatalog catalog) {
        return catalog.streams().keySet().stream().mapToLong(s -> count(redis, ns, s)).sum();
    }

    /** @return entries read by {@code consumer} and not acknowledged, in every group of the namespace */
    private static long pendingOf(ReactiveStringRedisTemplate redis, String ns, StreamCatalog catalog, String consumer) {
        long n = 0;
        for (String stream : catalog.streams().keySet()) {
            for (int p = 0; p < catalog.spec(stream).partitions(); p++) {
                String key = new StreamKeys(ns).stream(stream, p);
                if (!Boolean.TRUE.equals(redis.hasKey(key).block(Duration.ofSeconds(5)))) {
                    continue;
                }
                for (var g : redis.opsForStream().groups(key).collectList().block(Duration.ofSeconds(5))) {
                    if (g.pendingCount() > 0) {
                        Long mine = redis.opsForStream().pending(key, g.groupName()).block(Duration.ofSeconds(5))
                                .getPendingMessagesPerConsumer().get(consumer);
                        n += mine == null ? 0 : mine;
                    }
                }
            }
        }
        return n;
    }

    /** @return every consumer group of the namespace that has not read or not acknowledged all of its stream partition */
    private static List<String> undrained(ReactiveStringRedisTemplate redis, String ns, StreamCatalog catalog) {
        List<String> behind = new ArrayList<>();
        for (String stream : catalog.streams().keySet()) {
            for (int p = 0; p < catalog.spec(stream).partitions(); p++) {
                String key = new StreamKeys(ns).stream(stream, p);
                if (!Boolean.TRUE.equals(redis.hasKey(key).block(Duration.ofSeconds(5)))) {
                    continue;
                }
                String at = stream + "/" + p;
                String last = redis.opsForStream().info(key).map(i -> i.lastGeneratedId()).block(Duration.ofSeconds(5));
                redis.opsForStream().groups(key).toStream().filter(g -> g.pendingCount() > 0 || !last.equals(g.lastDeliveredId()))
                        .forEach(g -> behind.add(g.groupName() + " @ " + at + ": " + g.pendingCount() + ", "
                                + g.lastDeliveredId() + " / " + last));
            }
        }
        return behind;
    }
}
