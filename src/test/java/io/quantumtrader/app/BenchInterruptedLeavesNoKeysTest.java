package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
 * A {@code bench} stopped by SIGTERM (Ctrl-C, {@code kill <pid>}, a pod's stop) deletes the keys it wrote in
 * REDIS_URL's Redis, as one that ends by itself does (BenchLeavesNoKeysTest), at each stage: early (its raw XADD rates,
 * its publish), later (a topology's publish or run), and in {@code --latency}. Found in review (2026-12-07): the deletion ran only at a normal end, and a
 * stopped run left its namespaces behind, nothing said.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class BenchInterruptedLeavesNoKeysTest {

    @TempDir
    Path dir;

    @Test
    void aStoppedRunDeletesItsKeysAtEachStage() throws Exception {
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        try {
            String url = redis.url() + "/4";
            // early: the first line is printed and the first keys written (the raw XADD rates, then the publish)
            stopAfter(url, "early", "bench on", "bench", "--records", "400000", "--warmup", "0");
            // later: the plain loop is measured, then the topologies' records are published and processed
            stopAfter(url, "topology", "plain XREADGROUP", "bench", "--records", "200000", "--warmup", "0");
            stopAfter(url, "latency", "bench on", "bench", "--latency", "--rates", "500", "--seconds", "60",
                    "--latency-warmup", "30");
        } finally {
            redis.stop();
        }
    }

    /** Starts the bench, waits for {@code line} in its stdout and for keys, stops it with SIGTERM, checks no key is left. */
    private void stopAfter(String url, String stage, String line, String... args) throws Exception {
        Path work = ReplayFixture.workDir(dir, stage);
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process bench = CliProcess.start(work, Map.of("REDIS_URL", url), List.of(args), out, err);
        try {
            await(stage).atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.readString(out).contains(line) && dbSize(url) > 0);
            bench.destroy();   // SIGTERM
            assertThat(bench.waitFor(60, TimeUnit.SECONDS)).as(stage + ": stopped within a minute").isTrue();
            String stdout = Files.readString(out);
            assertThat(dbSize(url)).as(stage + ": keys left after a stopped bench\n" + stdout + Files.readString(err)).isZero();
            assertThat(stdout).as(stage).contains("interrupted").contains("deleted the benchmark's");
        } finally {
            bench.destroyForcibly();
        }
    }

    private static long dbSize(String url) {
        try (RedisConnection db = RedisConnection.of(url)) {
            return db.template().execute(c -> c.serverCommands().dbSize()).blockFirst(Duration.ofSeconds(10));
        }
    }
}
