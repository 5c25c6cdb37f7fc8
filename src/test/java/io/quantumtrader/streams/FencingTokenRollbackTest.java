package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fencing token is never issued twice, even when Redis loses the counter's last increment (a failover before the
 * acquire was replicated, a restart from an AOF or RDB that misses it, a restart empty): the token is the counter's
 * value and a random nonce. Simulated by rolling the counter back and dropping the lease, what such a loss leaves
 * behind. Found in review (2026-12-05): with bare numbers the counter issued "1" again, the paused owner's renewal under
 * "1" succeeded, and it committed two batches while the other instance held the lease.
 */
class FencingTokenRollbackTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("pricing");
        addPricing(b);
        return b.build();
    }

    /** Sub-topology 0 of {@link #topology()}: ticks, unchanged, to {@code priced}. */
    static void addPricing(TopologyBuilder b) {
        b.stream("ticks", Tick.class, Named.as("ticks-source"))
                .mapValues(t -> t, Named.as("same"))
                .to("priced", Named.as("priced-sink"));
    }

    @Test
    void aZombieWhoseTokenWasIssuedAgainAfterADataLossCannotCommit() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(10).withLeaseTtl(Duration.ofSeconds(60));
        Sinks.Empty<Void> paused = Sinks.empty();
        AtomicInteger commitAttempts = new AtomicInteger();
        StreamsRuntime zombie = new StreamsRuntime(topology(), config.withInstanceId("zombie")
                .withBeforeCommit((task, n) -> {
                    commitAttempts.incrementAndGet();
                    return paused.asMono();
                }), template());
        zombie.start();
        StreamKeys keys = new StreamKeys(ns);
        String lease = keys.lease("pricing.0", 0);
        String owner = keys.leaseOwner("pricing.0", 0);
        String fence = keys.fence("pricing.0", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> template().opsForValue().get(lease).block() != null);
        String zombieToken = template().opsForValue().get(lease).block();
        await().atMost(Duration.ofSeconds(10)).until(() -> zombie.tasks().get(0).state() == TaskState.RUNNING);

        List<EventPublisher.Event> events = new ArrayList<>();
        for (int seq = 1; seq <= 20; seq++) {
            events.add(new EventPublisher.Event("ticks", "SYM", new Tick("SYM", 100 + seq, seq), 1_700_000_000_000L + seq));
        }
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(Flux.fromIterable(events), 10).block();
        await().atMost(Duration.ofSeconds(10)).until(() -> commitAttempts.get() > 0);

        // Redis loses the acquire that issued token 1 (counter back to 0, lease gone); another instance takes the task
        template().opsForValue().set(fence, "0").block();
        template().delete(lease, owner).block();
        StreamAdmin admin = new StreamAdmin(template());
        String thiefToken = admin.acquireLease(lease, fence, owner, "thief", Duration.ofSeconds(60)).block();
        assertThat(thiefToken).as("the counter issues 1 a second time, with another nonce").startsWith("1:")
                .isNotEqualTo(zombieToken);
        assertThat(admin.renewLease(lease, owner, zombieToken, Duration.ofSeconds(60)).block())
                .as("the zombie's renewal under its token fails: it learns it lost the lease").isFalse();

        paused.tryEmitEmpty(); // the zombie goes on and tries to commit under its token
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        long written = RedisTestSupport.length(ns, "priced", 0);
        long commits = zombie.counters().commits();
        zombie.kill();
        assertThat(commits).as("commits made by the zombie while 'thief' holds the lease").isZero();
        assertThat(written).as("outputs the zombie wrote while 'thief' holds the lease").isZero();
    }
}
