package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Boot's own Redis settings for {@code serve}. Found in review (2026-12-07, HTTP surface): a user who gave Redis
 * as Spring Boot users do ({@code SPRING_DATA_REDIS_URL}, or {@code spring.data.redis.host}/{@code port}/{@code
 * password}) got the service on an embedded Redis, its data lost at its stop, with one WARN. Now the URL is read as
 * {@code REDIS_URL}, and the other address settings are refused in two lines naming {@code REDIS_URL}.
 */
class SpringRedisSettingsTest {

    @Test
    void springsRedisUrlIsReadAsRedisUrlWhenThatIsNotSet() {
        MockEnvironment spring = new MockEnvironment().withProperty("spring.data.redis.url", "redis://redis.example:6380/2");
        assertThat(QuantumTraderApplication.springRedisSettings(spring, Map.of())).containsEntry("REDIS_URL", "redis://redis.example:6380/2");
        assertThat(QuantumTraderApplication.springRedisSettings(spring, Map.of("REDIS_URL", "redis://own:6379")))
                .as("REDIS_URL wins").containsEntry("REDIS_URL", "redis://own:6379");
    }

    @Test
    void springsHostPortAndPasswordAreRefusedRatherThanServingOnAnEmbeddedRedis() {
        for (String setting : QuantumTraderApplication.SPRING_REDIS_ADDRESS) {
            MockEnvironment spring = new MockEnvironment().withProperty(setting, "x");
            assertThatThrownBy(() -> QuantumTraderApplication.springRedisSettings(spring, Map.of()))
                    .isInstanceOf(CliException.class).hasMessageContaining(setting + " is set, but this service reads Redis' "
                            + "address from REDIS_URL");
            assertThat(QuantumTraderApplication.springRedisSettings(spring, Map.of("REDIS_URL", "redis://own:6379")))
                    .as("with REDIS_URL, %s is not in the way", setting).containsEntry("REDIS_URL", "redis://own:6379");
        }
        assertThat(QuantumTraderApplication.springRedisSettings(new MockEnvironment(), Map.of()))
                .as("nothing given: the embedded Redis, with its WARN").doesNotContainKey("REDIS_URL");
    }

    @Test
    void springsClusterNodesAreReadAsBefore() {
        MockEnvironment spring = new MockEnvironment().withProperty("spring.data.redis.cluster.nodes", "a:7000,b:7001")
                .withProperty("spring.data.redis.password", "s3cret");
        assertThat(QuantumTraderApplication.springRedisSettings(spring, Map.of())).containsEntry(RedisTarget.CLUSTER_NODES, "a:7000,b:7001");
    }
}
