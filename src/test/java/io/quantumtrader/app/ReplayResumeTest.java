package io.quantumtrader.app;

import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
    private static RedisServer redis;
    private static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = RedisServer.builder().bind("127.0.0.1").port(port).setting("save \"\"").setting("appendonly no").build();
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.stop();
        }
    }

    private Path workDir(String name) throws Exception {
        Path w = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(w.resolve("config"));
        Files.createDirectories(w.resolve("topology"));
        Files.copy(Path.of("config/risk-rules.yaml"), w.resolve("config/risk-rules.yaml"));
        Files.copy(Path.of("topology/streams.yaml"), w.resolve("topology/streams.yaml"));
        return w;
    }

    private Path trades() throws Exception {
        Path file = dir.resolve("trades.csv");
        if (!Files.exists(file)) {
            try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
                List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(TICKS + 1).toList();   // header + TICKS trades
                Files.write(file, lines);
            }
        }
        return file;
    }

    private static JsonNode report(Path workDir) throws Exception {
        return io.quantumtrader.streams.record.JsonSerde.defaultMapper().readTree(workDir.resolve("target/replay/report.json").toFile());
    }

    @Test
    void aReplayKilledWhilePublishingResumesAndEndsWithTheReportOfAnUninterruptedRun() throws Exception {
        Map<String, String> env = Map.of("REDIS_URL", "redis://127.0.0.1:" + port);
        Path whole = workDir("whole");
        CliProcess.Run uninterrupted = CliProcess.run(whole, env, Duration.ofMinutes(2), "replay", "--file", trades().toString(),
                "--namespace", "whole");
        assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();

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
