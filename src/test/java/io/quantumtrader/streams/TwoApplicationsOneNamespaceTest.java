package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applications (application ids) in one namespace share its membership ({@code <ns>:members}); until 2026-12-06
 * each one's instances took the other's for members running "another topology" (TopologyVersions): the application
 * whose topology first ran later won, and the other one's instance handed every task over and waited for good (review
 * of 2026-12-06: alpha processed 0 of 3). Each application now assigns its tasks among its own members only.
 */
class TwoApplicationsOneNamespaceTest {

    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, 1, 0, null), Map.of());

    @Test
    void twoApplicationsInOneNamespaceBothProcessTheirInputs() throws InterruptedException {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG);
        TopologyBuilder alpha = new TopologyBuilder("alpha");
        alpha.stream("orders", Tick.class, Named.as("orders-in")).mapValues(t -> t, Named.as("copy")).to("alpha-out", Named.as("alpha-sink"));
        TopologyBuilder beta = new TopologyBuilder("beta");
        beta.stream("orders", Tick.class, Named.as("orders-in")).filter((k, t) -> true, Named.as("all")).to("beta-out", Named.as("beta-sink"));
        try (StreamsRuntime a = new StreamsRuntime(alpha.build(), config.withInstanceId("alpha-pod"), template());
             StreamsRuntime b = new StreamsRuntime(beta.build(), config.withInstanceId("beta-pod"), template())) {
            a.start();
            b.start();
            // until both have heartbeated with details and each has run rebalance steps seeing the other (1 s apart)
            StreamKeys keys = new StreamKeys(ns);
            long until = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < until && !(Boolean.TRUE.equals(template().hasKey(keys.member("alpha-pod")).block())
                    && Boolean.TRUE.equals(template().hasKey(keys.member("beta-pod")).block()))) {
                Thread.sleep(100);
            }
            Thread.sleep(3_000);
            for (int i = 1; i <= 3; i++) {
                RedisTestSupport.publisher(ns, CATALOG).send("orders", "S", new Tick("S", 1.0, i), System.currentTimeMillis()).block();
            }
            assertThat(a.awaitDrained(Duration.ofSeconds(15))).as("alpha drained").isTrue();
            assertThat(b.awaitDrained(Duration.ofSeconds(15))).as("beta drained").isTrue();
            assertThat(RedisTestSupport.length(ns, "beta-out", 0)).as("beta's outputs").isEqualTo(3);
            assertThat(RedisTestSupport.length(ns, "alpha-out", 0)).as("alpha's outputs").isEqualTo(3);
            assertThat(a.group().members()).as("alpha's members").containsExactly("alpha-pod");
        }
    }
}
