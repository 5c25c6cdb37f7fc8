package io.quantumtrader.app;

import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import redis.embedded.RedisServer;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While Redis refuses the service's credentials (a rotated password: connections authenticated before still work, a
 * fresh one is refused), the {@code streams} health names the refusal in its problems, as {@link RedisCredentialsWatch}
 * says it does: liveness turns BROKEN after {@code credentials-refused-restart}, and before (review 2026-12-06) the
 * health said nothing of why as long as its own check got an answer. A real Redis with {@code requirepass}, started here.
 */
class CredentialsRefusalHealthTest {

    @Test
    void theStreamsHealthNamesRefusedCredentialsWhileItsCheckIsAnswered() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer redis = RedisServer.builder().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no").setting("requirepass old-Passw0rd-5").build();
        redis.start();
        List<String> broken = new CopyOnWriteArrayList<>();
        try (RedisConnection connection = RedisConnection.of("redis://:old-Passw0rd-5@127.0.0.1:" + port);
             RedisCredentialsWatch watch = new RedisCredentialsWatch(connection.factory().getRequiredNativeClient(),
                     connection.factory().getClientResources(), Duration.ofSeconds(60), broken::add)) {
            TopologyBuilder b = new TopologyBuilder("refusal");
            b.stream("ticks", Tick.class).to("out");
            Topology topology = b.build();
            StreamsConfig config = StreamsConfig.defaults().withNamespace("refusal");
            StreamsHealth health = new StreamsHealth(topology, config, connection.template(),
                    new StreamsHealth.Thresholds(5, Duration.ofMinutes(1), 5, Duration.ofMinutes(5)), () -> RuntimeState.RUNNING);
            StreamsHealthIndicator indicator = new StreamsHealthIndicator(health, null, watch::refusal);

            connection.template().execute(c -> c.serverCommands().setConfig("requirepass", "new-Passw0rd-6"))
                    .blockLast(Duration.ofSeconds(10));
            watch.probe(connection.factory().getRequiredNativeClient());
            await().atMost(Duration.ofSeconds(20)).until(() -> watch.refusal() != null);

            Health h = indicator.health().block(Duration.ofSeconds(10));
            @SuppressWarnings("unchecked")
            List<String> problems = (List<String>) h.getDetails().get("problems");
            assertThat(problems).as(h.toString()).anyMatch(p -> p.contains("refuses the service's credentials") && p.contains("WRONGPASS"));
            assertThat(h.toString()).doesNotContain("Passw0rd");
        } finally {
            redis.stop();
        }
    }
}
