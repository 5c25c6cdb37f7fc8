package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.SourceLag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A zombie whose task lease was taken over cannot commit (fencing token checked in the commit script). */
class FencingTest {

    @Test
    void aFencedInstanceCommitsNothingAndTheNewOwnerProcessesEverythingOnce() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(10);
        StreamsRuntime zombie = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config.withInstanceId("zombie"), template());
        zombie.start();
        StreamKeys keys = new StreamKeys(ns);
        await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(template().opsForValue().get(keys.lease("pricing.0", 0)).block()));

        // another instance takes the task over: a newer fencing token
        new StreamAdmin(template()).acquireLease(keys.lease("pricing.0", 0), keys.fence("pricing.0", 0)).block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(2, 20), 10).block();

        await().atMost(Duration.ofSeconds(10)).until(() -> zombie.tasks().get(0).entriesRead() > 0);
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(200)).until(() -> zombie.counters().commits() == 0);
        assertThat(RedisTestSupport.length(ns, "priced", 0)).as("the zombie wrote nothing").isZero();
        assertThat(zombie.state()).isEqualTo(RuntimeState.RUNNING);
        zombie.kill();

        try (StreamsRuntime owner = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config.withInstanceId("owner"), template())) {
            owner.start();
            assertThat(owner.awaitDrained(Duration.ofSeconds(20))).isTrue();
            List<SourceLag> lag = owner.lag().block();
            assertThat(lag).singleElement().satisfies(l -> {
                assertThat(l.group()).isEqualTo("pricing.0");
                assertThat(l.pending()).isZero();
                assertThat(l.lag()).isZero();
            });
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).isEqualTo(40 - 8);
    }
}
