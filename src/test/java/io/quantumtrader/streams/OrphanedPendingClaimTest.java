package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.AssignmentConfig;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The periodic safety net: an entry left pending with a consumer that is not the task's owner (here a foreign
 * consumer that read it and vanished) is claimed by the owner once it has been idle past the threshold, and processed.
 */
class OrphanedPendingClaimTest {

    @Test
    void anEntryPendingWithAnotherConsumerIsClaimedAndProcessed() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("owner")
                .withAssignment(AssignmentConfig.defaults().withLeaseTtl(Duration.ofSeconds(2))
                        .withOrphanedPendingIdle(Duration.ofMillis(400)));
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(10))).isTrue();
            long reclaimedAtStart = runtime.counters().reclaimed();
            // a foreign consumer of the group takes the next entry in the same atomic step that appends it (so the
            // owner, which polls all the time, cannot read it first), and never acknowledges it: the entry is encoded
            // by the publisher into a staging stream, then moved and read by "ghost" in one script
            String key = new StreamKeys(ns).stream("ticks", 0);
            String staging = new StreamKeys(ns + "-staging").stream("ticks", 0);
            RedisTestSupport.publisher(ns + "-staging", StreamCatalog.defaults()).send("ticks", "A", new Tick("A", 101, 1), 1).block();
            Long read = template().execute(RedisScript.of("""
                    local e = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
                    redis.call('XADD', KEYS[2], '*', unpack(e[2]))
                    local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], 'ghost', 'COUNT', 10, 'STREAMS', KEYS[2], '>')
                    return #r[1][2]
                    """, Long.class), List.of(staging, key), List.of("pricing.0")).blockFirst();
            assertThat(read).isEqualTo(1L);

            await().atMost(Duration.ofSeconds(10)).until(() -> RedisTestSupport.length(ns, "priced", 0) == 1);
            assertThat(runtime.counters().reclaimed() - reclaimedAtStart).isEqualTo(1);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(10))).isTrue();
        }
    }
}
