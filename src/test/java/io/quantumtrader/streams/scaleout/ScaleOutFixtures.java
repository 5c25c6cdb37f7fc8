package io.quantumtrader.streams.scaleout;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/** What the scale-out tests share: a paced publisher, the reference run, and the lease owners read from Redis. */
final class ScaleOutFixtures {

    static final String GROUP = ScaleOutTopology.APPLICATION + ".0";

    private ScaleOutFixtures() {
    }

    /** Publishes events in chunks with a pause between them, on its own thread, so the stream is "live". */
    static final class PacedPublisher extends Thread {
        private final EventPublisher publisher;
        private final List<EventPublisher.Event> events;
        private final int chunk;
        private final long pauseMillis;
        final AtomicLong published = new AtomicLong();
        volatile Throwable failure;
        /** Indexes where publishing waits for a {@link #release()} ({@link #holdAt}), ascending. */
        private volatile int[] holds = new int[0];
        private final java.util.concurrent.Semaphore releases = new java.util.concurrent.Semaphore(0);

        PacedPublisher(String namespace, List<EventPublisher.Event> events, int chunk, long pauseMillis) {
            super("paced-publisher");
            setDaemon(true);
            this.publisher = RedisTestSupport.publisher(namespace, ScaleOutTopology.CATALOG);
            this.events = events;
            this.chunk = chunk;
            this.pauseMillis = pauseMillis;
        }

        @Override
        public void run() {
            try {
                int passed = 0;
                for (int i = 0; i < events.size(); i += chunk) {
                    while (passed < holds.length && i >= holds[passed]) {
                        if (!releases.tryAcquire(120, java.util.concurrent.TimeUnit.SECONDS)) {
                            throw new IllegalStateException("events held at " + holds[passed] + " never released");
                        }
                        passed++;
                    }
                    List<EventPublisher.Event> part = events.subList(i, Math.min(events.size(), i + chunk));
                    publisher.sendAll(Flux.fromIterable(part), chunk).block(Duration.ofSeconds(30));
                    published.addAndGet(part.size());
                    Thread.sleep(pauseMillis);
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        boolean done() {
            return published.get() == events.size();
        }

        /**
         * Publishing stops before each of {@code indexes} (ascending, set before {@link #start()}) until a
         * {@link #release()} lets it pass: a test whose steps take longer on a loaded machine than the paced events
         * last still has a stream that flows after each step. A release sent before the publisher reaches its hold
         * lets it pass without stopping.
         */
        PacedPublisher holdAt(int... indexes) {
            holds = indexes.clone();
            return this;
        }

        /** Lets the publisher pass its next hold ({@link #holdAt}). */
        void release() {
            releases.release();
        }
    }

    /** The uninterrupted single-instance run of the same events, in {@code namespace}. */
    static void referenceRun(String namespace, List<EventPublisher.Event> events) {
        RedisTestSupport.publisher(namespace, ScaleOutTopology.CATALOG).sendAll(Flux.fromIterable(events), 256).block();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(namespace).withCatalog(ScaleOutTopology.CATALOG)
                .withInstanceId("reference").withBatchSize(200);
        try (StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("none"), config, RedisTestSupport.template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> ScaleOutTopology.outputCount(RedisTestSupport.template(), namespace) == events.size());
        }
    }

    /** @return partition → instance id holding the task's lease, read from Redis (absent: free) */
    static Map<Integer, String> leaseOwners(ReactiveStringRedisTemplate redis, String namespace) {
        StreamKeys keys = new StreamKeys(namespace);
        Map<Integer, String> owners = new TreeMap<>();
        for (int p = 0; p < ScaleOutTopology.PARTITIONS; p++) {
            String owner = redis.opsForValue().get(keys.leaseOwner(GROUP, p)).block();
            String token = redis.opsForValue().get(keys.lease(GROUP, p)).block();
            if (owner != null && token != null) {
                owners.put(p, owner);
            }
        }
        return owners;
    }

    /** @return how many tasks each instance holds, by the lease keys in Redis */
    static Map<String, Long> leaseCounts(ReactiveStringRedisTemplate redis, String namespace) {
        Map<String, Long> counts = new TreeMap<>();
        leaseOwners(redis, namespace).values().forEach(o -> counts.merge(o, 1L, Long::sum));
        return counts;
    }
}
