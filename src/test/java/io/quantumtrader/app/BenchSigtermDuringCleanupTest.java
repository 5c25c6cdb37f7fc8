package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.core.script.RedisScript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SIGTERM (Ctrl-C) that arrives while a bench that ended by itself is deleting its keys lets the deletion finish.
 * Found in review (2026-12-07) of BenchInterruption: the hook interrupted the run thread whatever it was doing, the
 * deletion's block() threw, "could not delete the benchmark's keys" and the keys were left (18 here). Made observable by
 * a database holding other keys, which makes the deletion's SCAN take a few seconds.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BenchSigtermDuringCleanupTest {

    @TempDir
    Path dir;

    @Test
    void aSigtermDuringTheKeysDeletionDoesNotAbortIt() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try {
            String url = redis.url() + "/4";
            long filler = 3_000_000;
            try (RedisConnection db = RedisConnection.of(url)) {
                RedisScript<Long> fill = RedisScript.of("for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do "
                        + "redis.call('SET', 'filler:' .. i, '1') end return 1", Long.class);
                for (long from = 1; from <= filler; from += 500_000) {
                    db.template().execute(fill, List.of(), List.of(String.valueOf(from), String.valueOf(from + 499_999)))
                            .blockLast(Duration.ofSeconds(60));
                }
            }
            assertThat(dbSize(url)).isEqualTo(filler);
            Path work = ReplayFixture.workDir(dir, "cleanup");
            Path out = work.resolve("out.txt");
            Path err = work.resolve("err.txt");
            Process bench = CliProcess.start(work, Map.of("REDIS_URL", url),
                    List.of("bench", "--records", "20000", "--warmup", "0"), out, err);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                // the last figure is printed, then the run returns and its finally deletes the keys
                while (!Files.readString(out).contains("stateful process()") && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(Files.readString(out)).contains("stateful process()");
                Thread.sleep(100);   // the deletion's SCAN is under way
                bench.destroy();   // SIGTERM, as Ctrl-C
                assertThat(bench.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String said = Files.readString(out) + "\n--- stderr\n" + Files.readString(err);
                assertThat(dbSize(url) - filler).as("bench keys left after a SIGTERM during their deletion:\n" + said).isZero();
            } finally {
                bench.destroyForcibly();
            }
        } finally {
            redis.stop();
        }
    }

    private static long dbSize(String url) {
        try (RedisConnection db = RedisConnection.of(url)) {
            return db.template().execute(c -> c.serverCommands().dbSize()).blockFirst(Duration.ofSeconds(10));
        }
    }
}
