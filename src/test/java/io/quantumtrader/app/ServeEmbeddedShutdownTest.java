package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code serve} without {@code REDIS_URL} (a Redis started for the run) stopped with SIGTERM, as Ctrl-C or a pod's
 * stop does: the runtime hands its tasks over while Redis still answers, then Redis stops. Before 2026-12-06
 * embedded-redis' own shutdown hook stopped Redis at the same moment as Spring's, and the shutdown printed dozens of
 * WARN and ERROR lines (Lettuce reconnecting to the stopped server, "releasing the lease failed", Netty's "Event loop
 * shut down?"). A child JVM the test starts and signals by PID; the Redis it started must be gone after it.
 */
class ServeEmbeddedShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermStopsTheRuntimeBeforeTheRedisItStarted() throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process serve = CliProcess.start(dir, Map.of("SERVER_PORT", "0"), List.of("serve"), out, err);
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(out).contains("serving: ") || !serve.isAlive());
            assertThat(serve.isAlive()).as("serve started: " + Files.readString(out) + Files.readString(err)).isTrue();
            List<ProcessHandle> redis = serve.toHandle().descendants()
                    .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false)).toList();
            assertThat(redis).as("the Redis serve started").hasSize(1);

            serve.destroy();   // SIGTERM
            assertThat(serve.waitFor(90, TimeUnit.SECONDS)).as("serve stopped").isTrue();
            String all = Files.readString(out) + Files.readString(err);
            List<String> noisy = all.lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))
                    .filter(l -> !l.contains("REDIS_URL is not set"))   // the start's warning that this Redis is throwaway
                    .toList();
            assertThat(noisy).as("no warning or error on a clean stop:\n" + all).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> !redis.get(0).isAlive());
        } finally {
            serve.destroyForcibly();
        }
    }
}
