package io.quantumtrader.app;

import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C (SIGINT) to a replay before its report: it says how far it got and how to resume, in two lines on stderr.
 * Until 2026-12-07 it exited 130 without a word (review): a child JVM ({@link CliProcess}) on a Redis this test starts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplayInterruptionTest {

    @TempDir
    Path dir;

    @Test
    void aReplayStoppedByCtrlCSaysHowFarItGotAndHowToResume() throws Exception {
        Path csv = dir.resolve("small.csv");
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Files.write(csv, r.lines().limit(2001).collect(Collectors.toList()));
        }
        ReplayFixture.LocalRedis redis = ReplayFixture.startRedis();
        Path out = dir.resolve("replay.out");
        Path err = dir.resolve("replay.err");
        try {
            // --speed 1: a second of market time per second, so the 2,000 trades take hours
            Process replay = CliProcess.start(dir, Map.of("REDIS_URL", "redis://127.0.0.1:" + redis.port()),
                    List.of("replay", "--jit", "tiered", "--speed", "1", "--namespace", "interrupted", "--file", csv.toString()), out, err);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!Files.readString(out).contains("replay   0%") && replay.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(Files.readString(out)).as("publishing; stderr: " + Files.readString(err)).contains("replay   0%");
                new ProcessBuilder("kill", "-INT", Long.toString(replay.pid())).start().waitFor();
                assertThat(replay.waitFor(60, TimeUnit.SECONDS)).as("stopped by SIGINT").isTrue();
            } finally {
                replay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(replay.exitValue()).isEqualTo(130);
            String stderr = Files.readString(err);
            assertThat(stderr).as(stderr).containsPattern("interrupted: the replay stopped after publishing [0-9,]+ of 2,000 ticks, before its report")
                    .contains("  run it again with --namespace interrupted and the same REDIS_URL to resume where it stopped")
                    .doesNotContain("\tat ");
        } finally {
            redis.stop();
        }
        assertThat(ReplayInterruption.message("ns", 5, 100, true)).endsWith(
                "  its Redis was started for it and is gone: run it again (on REDIS_URL, a replay run again with its --namespace resumes)");
    }
}
