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
        /** Events from this index on wait for {@link #release()} ({@link #holdFrom}). */
        private volatile int holdFrom = Integer.MAX_VALUE;
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

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
                for (int i = 0; i < events.size(); i += chunk) {
                    if (i >= holdFrom && !released.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new IllegalStateException("held events never released");
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
         * Events from {@code index} on are published only after {@link #release()}: a test whose steps take longer
         * on a loaded machine than the paced events last still has a stream that flows after them.
         */
        PacedPublisher holdFrom(int index) {
            holdFrom = index;
            return this;
        }

        void release() {
            released.countDown();
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
