package io.quantumtrader.streams.runtime;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisOutageTest;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lag gauges do not freeze at their last value while Redis cannot be read (found in review, 2026-12-06: a frozen
 * lag hid a growing backlog from dashboards and alerts): one or two failed refreshes keep the last reading, the third
 * in a row shows NaN, and the first refresh after Redis is back shows the truth again. A Redis the test starts, stops
 * and starts again (append-only file); the refresh job runs on virtual time, advanced while the test waits for Redis.
 */
class StaleLagGaugesTest {

    private RedisServer server;
    private RedisConnection connection;

    @AfterEach
    void stopRedis() {
        RedisOutageTest.stop(connection, server);
    }

    @Test
    void lagGaugesShowNaNAfterThreeFailedRefreshesInARowAndTheTruthOnceRedisAnswersAgain() throws IOException {
        int port = RedisOutageTest.freePort();
        Path dir = Files.createTempDirectory("stale-lag");
        server = RedisOutageTest.redisServer(port, dir);
        server.start();
        connection = RedisConnection.of("redis://127.0.0.1:" + port);
        var redis = connection.template();
        String key = new StreamKeys("stale-lag").stream("ticks", 0);
        for (int i = 0; i < 7; i++) {
            redis.opsForStream().add(key, Map.of("n", Integer.toString(i))).block();
        }
        StreamAdmin admin = new StreamAdmin(redis);
        admin.ensureGroup(key, "pricing.0").block();
        LagGauges gauges = LagGauges.perSource(() -> List.of(new LagGauges.Source("pricing.0", "ticks", 0,
                        admin.groupLag(key, "pricing.0")
                                .map(l -> new SourceLag("pricing.0", "ticks", 0, l.pending(), l.lag(), 0, l.consumers())))),
                StreamsRuntime.LAG_REFRESH, StreamsRuntime.LAG_TIMEOUT);

        assertThat(gauges.value("pricing.0", "ticks", 0, SourceLag::lag)).as("before the first reading: not known, "
                + "not 0 (found in review, 2026-12-07: 0 said \"no backlog\" for a source not read yet)").isNaN();
        // each run's outcome with the gauge's value right after it
        List<String> seen = new CopyOnWriteArrayList<>();
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            Disposable job = gauges.job().runs(Duration.ZERO)
                    .subscribe(ok -> seen.add((ok ? "read " : "failed ") + gauges.value("pricing.0", "ticks", 0, SourceLag::lag)));
            advanceUntil(time, () -> seen.size() >= 1);
            assertThat(seen).containsExactly("read 7.0");

            server.stop(); // Redis goes away: each refresh now fails (refused, or no answer within its timeout)
            advanceUntil(time, () -> seen.size() >= 4);
            assertThat(seen.subList(0, 4)).as("two failures keep the last reading, the third in a row is NaN")
                    .containsExactly("read 7.0", "failed 7.0", "failed 7.0", "failed NaN");

            server = RedisOutageTest.redisServer(port, dir);
            server.start();
            advanceUntil(time, () -> seen.stream().skip(1).anyMatch(s -> s.startsWith("read")));
            List<String> after = seen.subList(4, seen.size());
            assertThat(after.get(after.size() - 1)).as("Redis is back: the truth again").isEqualTo("read 7.0");
            assertThat(after.subList(0, after.size() - 1)).allSatisfy(s -> assertThat(s).isEqualTo("failed NaN"));
            job.dispose();
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    /** Advances virtual time by 0.5 s every 50 ms (real) until {@code done}; Redis' replies come in real time. */
    private static void advanceUntil(VirtualTimeScheduler time, java.util.function.BooleanSupplier done) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!done.getAsBoolean()) {
                time.advanceTimeBy(Duration.ofMillis(500));
            }
            return done.getAsBoolean();
        });
    }
}
