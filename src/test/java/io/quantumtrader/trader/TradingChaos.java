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
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos tests of the trading topology ({@link TradingFailoverTest}, {@link TradingZombieTest}): 20,000 real ticks,
 * 5 partitions for every stream keyed by symbol or account, an uninterrupted single-instance run as the reference and
 * child JVMs ({@link TradingInstance}, lease TTL 2 s) as the run under test, one of which is disrupted while it holds
 * the account's portfolio task and pending entries.
 */
final class TradingChaos implements AutoCloseable {

    static final int PARTITIONS = 5;
    static final Duration TTL = Duration.ofSeconds(2);

    final List<PriceTick> ticks = TradingFixtures.realTicks(20_000);
    final StreamCatalog catalog = TradingFixtures.catalog(PARTITIONS);
    final ReactiveStringRedisTemplate redis = RedisTestSupport.template();
    final String ns;
    final String portfolio = portfolioGroup();
    final List<InstanceProcess> instances = new ArrayList<>();
    private final Map<String, String> expected;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<CountDownLatch> holds = new ArrayList<>();
    private Thread publisher;

    /** The reference's events, by origin: the same ticks and catalog for every chaos test, so run once per JVM. */
    private static Map<String, String> reference;

    /** Runs the reference (uninterrupted, one in-process runtime) once and names the namespace of the run under test. */
    TradingChaos(String name) {
        synchronized (TradingChaos.class) {
            if (reference == null) {
                String ref = "chaos-ref-" + System.nanoTime();
                try (StreamsRuntime runtime = new StreamsRuntime(QuantumTraderTopology.build(), StreamsConfig.defaults()
                        .withAlignment(TradingFixtures.ALIGNMENT).withNamespace(ref).withCatalog(catalog), redis)) {
                    runtime.start();
                    TradingFixtures.publishWithIds(redis, ref, catalog, ticks);
                    assertThat(runtime.awaitDrained(Duration.ofSeconds(120))).isTrue();
                }
                reference = TradingFixtures.outputsByOrigin(redis, ref, catalog);
            }
            expected = reference;
        }
        ns = name + "-" + System.nanoTime();
    }

    /** Starts a {@link TradingInstance} of the run under test (batch size 200) and waits until it started. */
    InstanceProcess start(String id) throws java.io.IOException {
        InstanceProcess p = InstanceProcess.start(TradingInstance.class, ns, id, List.of(
                Integer.toString(RedisTestSupport.redis().port()), ns, id, Long.toString(TTL.toMillis()), "200",
                Integer.toString(PARTITIONS)));
        instances.add(p);
        return p;
    }

    /**
     * Publishes the ticks on a thread of its own, in chunks of 500 with a 100 ms pause, held before each of
     * {@code holdsAt} (tick indexes, multiples of 500) until {@link #release()}, then the end of the input.
     */
    void publish(int... holdsAt) {
        List<Integer> at = java.util.Arrays.stream(holdsAt).boxed().toList();
        at.forEach(i -> holds.add(new CountDownLatch(1)));
        publisher = new Thread(() -> {
            try {
                EventPublisher events = new EventPublisher(redis, new StreamKeys(ns), catalog, "test");
                for (int from = 0; from < ticks.size(); from += 500) {
                    int hold = at.indexOf(from);
                    if (hold >= 0 && !holds.get(hold).await(120, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("held at tick " + from + " for 120 s");
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
    }

    /** Lets the publisher go on past its next hold. */
    void release() {
        holds.stream().filter(h -> h.getCount() > 0).findFirst().ifPresent(CountDownLatch::countDown);
    }

    /** @return whether the publisher sent every tick and the end of the input */
    boolean published() {
        return publisher != null && !publisher.isAlive();
    }

    /**
     * The instance to disrupt, at the moment it is chosen.
     *
     * @param instance the owner of the account's portfolio task
     * @param pending  entries it had read and not acknowledged (0 when it held none within 10 s)
     * @param outputs  entries in the namespace's streams
     */
    record Target(InstanceProcess instance, long pending, long outputs) {
        String id() {
            return instance.instanceId();
        }
    }

    /**
     * Starts instances a, b and c, publishes the ticks held at {@code holdsAt} ({@link #publish}) and waits for the
     * owner of the account's portfolio task once it opened a position and holds pending entries (their claim by a new
     * owner is what a disruption tests).
     */
    Target startThreeAndTarget(int... holdsAt) throws java.io.IOException, InterruptedException {
        for (String id : List.of("a", "b", "c")) {
            start(id);
        }
        publish(holdsAt);
        InstanceProcess owner = ownerOnceAPositionIsOpen();
        long pending = awaitPending(owner.instanceId());
        return new Target(owner, pending, total());
    }

    /** Waits until the account's portfolio task opened a position. @return the instance that holds that task */
    InstanceProcess ownerOnceAPositionIsOpen() {
        await().atMost(Duration.ofSeconds(120)).until(() -> count(QuantumTraderTopology.OPENED) > 0);
        String owner = accountOwner();
        return instances.stream().filter(i -> i.instanceId().equals(owner)).findFirst().orElseThrow();
    }

    /** @return the instance id on the lease of the account's portfolio task (null when nobody holds it) */
    String accountOwner() {
        return redis.opsForValue().get(new StreamKeys(ns).leaseOwner(portfolio, accountPartition())).block(Duration.ofSeconds(5));
    }

    /** Waits (at most {@code atMost}) until another instance than {@code id} holds the account's portfolio task. */
    void awaitAccountMovedFrom(String id, Duration atMost) {
        await().atMost(atMost).until(() -> {
            String now = accountOwner();
            return now != null && !now.equals(id);
        });
    }

    /** Waits (at most 10 s) until {@code consumer} holds entries read and not acknowledged. @return how many */
    long awaitPending(String consumer) throws InterruptedException {
        long by = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long pending;
        while ((pending = pendingOf(consumer)) == 0 && System.nanoTime() < by) {
            Thread.sleep(5);
        }
        return pending;
    }

    /**
     * Waits for the publisher and then until no group of the namespace has an entry unread or pending and nothing new
     * came for 3 s (at most 90 s). @return the groups still behind
     */
    List<String> awaitDrained() throws InterruptedException {
        publisher.join(Duration.ofSeconds(120).toMillis());
        assertThat(failure.get()).isNull();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long last = -1;
        List<String> undrained = List.of("not looked at yet");
        while (System.nanoTime() < deadline) {
            Thread.sleep(3000);
            long now = total();
            undrained = undrained();
            if (now == last && undrained.isEmpty()) {
                break;
            }
            last = now;
        }
        return undrained;
    }

    /** Asserts that every event the topology wrote equals the reference's, tick by tick, and nothing is behind. */
    void assertSameAsUninterrupted(String disruption, List<String> undrained) {
        Map<String, String> actual = TradingFixtures.outputsByOrigin(redis, ns, catalog);
        List<String> onlyReference = expected.keySet().stream().filter(k -> !actual.containsKey(k)).limit(5).toList();
        List<String> onlyDisrupted = actual.keySet().stream().filter(k -> !expected.containsKey(k)).limit(5).toList();
        List<String> differ = expected.keySet().stream().filter(k -> actual.containsKey(k) && !actual.get(k).equals(expected.get(k)))
                .limit(5).map(k -> k + ": " + expected.get(k) + " != " + actual.get(k)).toList();
        assertThat(List.of(onlyReference, onlyDisrupted, differ))
                .as("%d events uninterrupted, %d with %s: only uninterrupted, only disrupted, different", expected.size(),
                        actual.size(), disruption).containsOnly(List.of());
        assertThat(undrained).as("groups with entries unread or pending (group @ stream partition: pending, last delivered / last id)").isEmpty();
        assertThat(expected.keySet()).anyMatch(k -> k.startsWith(QuantumTraderTopology.CLOSED + "/"));
    }

    /** @return the consumer group of the portfolio's sub-topology (the one reading the ticks gathered by account) */
    private static String portfolioGroup() {
        Subtopology s = QuantumTraderTopology.build().taskSubtopologies().stream()
                .filter(t -> t.sourceStreams().contains(QuantumTraderTopology.APPLICATION_ID + "-ticks-by-account-repartition"))
                .findFirst().orElseThrow();
        return StreamKeys.group(QuantumTraderTopology.APPLICATION_ID, s.id());
    }

    /** @return the partition of the ticks gathered by account that holds entries (the account's) */
    int accountPartition() {
        for (int p = 0; p < PARTITIONS; p++) {
            Long n = redis.opsForStream().size(new StreamKeys(ns).stream(QuantumTraderTopology.APPLICATION_ID
                    + "-ticks-by-account-repartition", p)).block(Duration.ofSeconds(5));
            if (n != null && n > 0) {
                return p;
            }
        }
        throw new IllegalStateException("no ticks gathered by account yet");
    }

    private long count(String stream) {
        long n = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            Long len = redis.opsForStream().size(new StreamKeys(ns).stream(stream, p)).block(Duration.ofSeconds(5));
            n += len == null ? 0 : len;
        }
        return n;
    }

    /** @return entries in every stream of the catalog, all partitions */
    long total() {
        return catalog.streams().keySet().stream().mapToLong(this::count).sum();
    }

    /** @return entries read by {@code consumer} and not acknowledged, in every group of the namespace */
    private long pendingOf(String consumer) {
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
    private List<String> undrained() {
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

    /** Kills every instance still running (test cleanup). */
    @Override
    public void close() {
        instances.forEach(InstanceProcess::close);
    }
}
