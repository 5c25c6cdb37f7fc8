package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay killed (kill -9) while it publishes, run again with the same {@code --namespace}, resumes: it publishes
 * only the ticks the namespace does not hold, and ends with the report of an uninterrupted run (same ticks in the
 * stream, same trades, P&amp;L, open positions and stream contents). The CLI runs in child JVMs against a Redis
 * this test starts.
 */
class ReplayResumeTest {

    static final int TICKS = 8_000;
    @RegisterExtension
    static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();

    /** One for the class: its tests share the uninterrupted replay ({@link #uninterrupted}), ~8 s of the suite. */
    @TempDir
    static Path dir;

    private Path workDir(String name) throws Exception {
        return ReplayFixture.workDir(dir, name);
    }

    private Path trades() throws Exception {
        return ReplayFixture.trades(dir, TICKS);
    }

    private static JsonNode report(Path workDir) throws Exception {
        return io.quantumtrader.streams.record.JsonSerde.defaultMapper().readTree(workDir.resolve("target/replay/report.json").toFile());
    }

    /** The uninterrupted replay into namespace {@code whole}, run once for the class: its work dir (report). */
    private static Path whole;

    private Path uninterrupted() throws Exception {
        if (whole == null) {
            Path w = workDir("whole");
            CliProcess.Run run = CliProcess.run(w, Map.of("REDIS_URL", redis.url()), Duration.ofMinutes(2), "replay", "--file",
                    trades().toString(), "--namespace", "whole");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            whole = w;
        }
        return whole;
    }

    @Test
    void aReplayKilledWhilePublishingResumesAndEndsWithTheReportOfAnUninterruptedRun() throws Exception {
        Map<String, String> env = Map.of("REDIS_URL", redis.url());
        Path whole = uninterrupted();

        // the same replay, paced (about 10 s of publishing), killed -9 once a third is published
        Path crashed = workDir("crashed");
        Path out = crashed.resolve("out.txt");
        Process p = CliProcess.start(crashed, env, List.of("replay", "--file", trades().toString(), "--namespace", "again",
                "--speed", "6000"), out, crashed.resolve("err.txt"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!published(Files.readString(out), TICKS / 3)) {
            assertThat(p.isAlive()).as("the replay runs until it is killed").isTrue();
            assertThat(System.nanoTime()).as("a third published within 90 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        CliProcess.Run resumed = CliProcess.run(crashed, env, Duration.ofMinutes(2), "replay", "--file", trades().toString(),
                "--namespace", "again");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stdout()).containsPattern("resuming: namespace 'again' holds the first [\\d,]+ ticks already");

        JsonNode a = report(whole);
        JsonNode b = report(crashed);
        assertThat(b.get("resumed_from").asLong()).isBetween((long) TICKS / 3, (long) TICKS - 1);
        for (String field : List.of("ticks_read", "ticks_published", "events_per_stream", "trades", "realized_pnl_usd",
                "realized_pnl_by_day", "exits_by_reason", "risk_decisions", "open_positions", "positions_opened", "de_risk_changes")) {
            assertThat(b.get(field)).as(field).isEqualTo(a.get(field));
        }
        assertThat(b.get("events_per_stream").get("market.tick.price").asLong()).isEqualTo(TICKS);
        assertThat(b.get("dead_lettered").asLong()).isZero();
    }

    /**
     * A replay run again into a namespace that holds all its ticks publishes none, and its report's throughput says
     * so: it was the namespace's ticks over this run's seconds (8,000 ticks "published" in the second or so the run
     * took to find them there and read the report back), a rate no tick was published at (review 2026-12-06).
     */
    @Test
    void aReplayRunAgainOverItsOwnTicksReportsTheRateOfThisRunsTicksOnly() throws Exception {
        Map<String, String> env = Map.of("REDIS_URL", redis.url());
        Path first = uninterrupted();
        assertThat(report(first).get("ticks_per_second").asDouble()).isPositive();

        Path second = workDir("second");
        CliProcess.Run again = CliProcess.run(second, env, Duration.ofMinutes(2), "replay", "--file", trades().toString(),
                "--namespace", "whole");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode r = report(second);
        assertThat(r.get("resumed_from").asLong()).isEqualTo(TICKS);
        assertThat(r.get("ticks_per_second").asDouble()).as(again.toString()).isZero();
    }

    /** @return whether the progress line shows at least {@code n} ticks published */
    private static boolean published(String stdout, long n) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([\\d,]+)/[\\d,]+ ").matcher(stdout);
        long max = 0;
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1).replace(",", "")));
        }
        return max >= n;
    }
}
