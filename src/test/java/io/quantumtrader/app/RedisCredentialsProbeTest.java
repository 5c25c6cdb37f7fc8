package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A password rotated in Redis is noticed though no connection of the service reconnects: Redis keeps connections
 * authenticated before the rotation, and a task's own connection (opened without auto-reconnect) is refused on every
 * attempt without any event; the watch's fresh-connection probe is refused too. Found in review (2026-12-05): only a
 * dropped shared connection was noticed. A real Redis with {@code requirepass}, started by the test.
 */
class RedisCredentialsProbeTest {

    @Test
    void aRotatedPasswordIsNoticedWithoutAnyReconnect() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer redis = RedisServer.builder().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no").setting("requirepass old-Passw0rd-3").build();
        redis.start();
        List<String> broken = new CopyOnWriteArrayList<>();
        try (RedisConnection connection = RedisConnection.of("redis://:old-Passw0rd-3@127.0.0.1:" + port);
             RedisCredentialsWatch watch = new RedisCredentialsWatch(connection.factory().getRequiredNativeClient(),
                     connection.factory().getClientResources(), Duration.ofSeconds(2), broken::add)) {
            Thread.sleep(2_500);   // probes accepted: nothing to say
            assertThat(broken).isEmpty();
            assertThat(watch.refusal()).isNull();

            connection.template().execute(c -> c.serverCommands().setConfig("requirepass", "new-Passw0rd-4"))
                    .blockLast(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(15)).until(() -> !broken.isEmpty());
            assertThat(broken).singleElement().asString().contains("WRONGPASS").doesNotContain("Passw0rd");
            // the service's own connection, authenticated before the rotation, still works: nothing reconnected
            assertThat(connection.template().hasKey("x").block(Duration.ofSeconds(5))).isFalse();
        } finally {
            redis.stop();
        }
    }
}
