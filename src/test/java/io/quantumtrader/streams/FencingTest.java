package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.SourceLag;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A zombie whose task lease was taken over cannot commit (fencing token checked in the commit script): its task is
 * REVOKED, never RUNNING, and the new owner processes everything once.
 */
class FencingTest {

    @Test
    void aFencedInstanceCommitsNothingAndTheNewOwnerProcessesEverythingOnce() {
        String ns = RedisTestSupport.freshNamespace();
        // a long TTL: the zombie must notice it was fenced from the commit script, not from a lease renewal
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(10).withLeaseTtl(Duration.ofSeconds(60));
        Sinks.Empty<Void> paused = Sinks.empty();
        AtomicInteger commitAttempts = new AtomicInteger();
        StreamsRuntime zombie = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config.withInstanceId("zombie")
                .withBeforeCommit((task, n) -> {
                    commitAttempts.incrementAndGet();
                    return paused.asMono(); // the zombie "pauses" with its first batch processed and not committed
                }), template());
        zombie.start();
        StreamKeys keys = new StreamKeys(ns);
        String lease = keys.lease("pricing.0", 0);
        String owner = keys.leaseOwner("pricing.0", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(template().opsForValue().get(lease).block()).startsWith("1:"));
        await().atMost(Duration.ofSeconds(10)).until(() -> zombie.tasks().get(0).state() == TaskState.RUNNING);

        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(2, 20), 10).block();
        await().atMost(Duration.ofSeconds(10)).until(() -> commitAttempts.get() > 0);
        assertThat(zombie.tasks().get(0).entriesRead()).isPositive();

        // meanwhile its lease expired and another instance took the task over: a newer fencing token
        StreamAdmin admin = new StreamAdmin(template());
        template().delete(lease, owner).block();
        String thiefToken = admin.acquireLease(lease, keys.fence("pricing.0", 0), owner, "thief", Duration.ofSeconds(60)).block();
        assertThat(thiefToken).startsWith("2:");
        paused.tryEmitEmpty(); // the zombie wakes up and tries to commit under token 1

        await().atMost(Duration.ofSeconds(10)).until(() -> zombie.tasks().get(0).state() == TaskState.REVOKED);
        assertThat(zombie.tasks().get(0).revocationReason()).isEqualTo("fenced");
        assertThat(zombie.counters().commits()).isZero();
        assertThat(RedisTestSupport.length(ns, "priced", 0)).as("the zombie wrote nothing").isZero();
        assertThat(zombie.state()).as("the runtime itself is fine").isEqualTo(RuntimeState.RUNNING);
        // it keeps trying to take its task back, but the lease is the thief's: it stays REVOKED and writes nothing
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() ->
                zombie.tasks().get(0).state() != TaskState.RUNNING && RedisTestSupport.length(ns, "priced", 0) == 0);
        zombie.kill();
        template().opsForZSet().remove(keys.members(), "zombie").block(); // as when its membership entry expires
        assertThat(admin.releaseLease(lease, owner, thiefToken).block()).isTrue();

        try (StreamsRuntime next = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config.withInstanceId("owner"), template())) {
            next.start();
            assertThat(next.awaitDrained(Duration.ofSeconds(20))).isTrue();
            assertThat(next.counters().reclaimed()).as("the zombie's read-but-uncommitted entries").isPositive();
            List<SourceLag> lag = next.lag().block();
            assertThat(lag).singleElement().satisfies(l -> {
                assertThat(l.group()).isEqualTo("pricing.0");
                assertThat(l.pending()).isZero();
                assertThat(l.lag()).isZero();
            });
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).isEqualTo(40 - 8);
    }
}
