package io.quantumtrader.app;

import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.quantumtrader.app.ServeDatabaseLostTest.assertNamedInWords;
import static io.quantumtrader.app.ServeDatabaseLostTest.freePort;
import static io.quantumtrader.app.ServeDatabaseLostTest.read;
import static io.quantumtrader.app.ServeDatabaseLostTest.redis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis restarted with fewer {@code databases} while a {@code replay} runs in one it no longer has (REDIS_URL's /20, the
 * server now 0 to 7): as for {@code serve} ({@link ServeDatabaseLostTest}), the replay names the database once (ERROR,
 * with what to do) and its tasks' restart WARNs say it in words; no line quotes Redis' raw reply and Lettuce's raw
 * reconnect WARNs are held back once it is named. Before (review 2026-12-07) a replay had no such watch: every line
 * quoted "ERR DB index is out of range". The replay then ends at once with exit code 3, its last lines naming the
 * database and what to do; before (2026-12-07) it ended only when its next command timed out, the client's 60 s later.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplayDatabaseLostTest {

    private static final String PASSWORD = ServeDatabaseLostTest.PASSWORD;

    /** @return {@code stderr} without the command's closing {@code error: …} line and the indented hint after it */
    private static String withoutFinalError(String stderr) {
        int at = stderr.indexOf("\nerror: ");
        return at < 0 ? (stderr.startsWith("error: ") ? "" : stderr) : stderr.substring(0, at + 1);
    }

    @Test
    void aDatabaseLostByARestartMidReplayIsNamedInItsLog(@TempDir Path dir) throws Exception {
        int redisPort = freePort();
        RedisServer redis = redis(redisPort, 32);
        redis.start();
        Path csv = dir.resolve("small.csv");
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Files.write(csv, r.lines().limit(3_001).collect(Collectors.toList()));
        }
        Path out = dir.resolve("replay.out");
        Path err = dir.resolve("replay.err");
        Process replay = null;
        try {
            // paced (about a minute of wall time for the 3,000 ticks): still publishing when Redis restarts
            replay = CliProcess.start(dir, Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:" + redisPort + "/20"),
                    List.of("replay", "--file", csv.toString(), "--speed", "300", "--namespace", "dblost-replay"), out, err);
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!read(out).contains("replay") || !read(out).contains("%")) {
                assertThat(replay.isAlive()).as("the replay runs; stdout: %s stderr: %s", read(out), read(err)).isTrue();
                assertThat(System.nanoTime()).as("the replay publishes within 60 s: %s", read(out)).isLessThan(until);
                Thread.sleep(200);
            }
            redis.stop();
            redis = redis(redisPort, 8);
            redis.start();

            String expected = "Redis at 127.0.0.1:" + redisPort + " has no database 20 (REDIS_URL names it): it has 8, 0 to 7";
            until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!read(err).contains(expected) && System.nanoTime() < until && replay.isAlive()) {
                Thread.sleep(200);
            }
            Thread.sleep(1000);
            int named = read(err).length();
            Thread.sleep(5000);   // Lettuce retries every 2 s at most, on each of the replay's connections
            // the replay's own last lines ("error: …" and its hint) name the database once more when it has ended
            // already: checked below, left out of the log's "named once"
            String log = withoutFinalError(read(err)) + read(out);
            assertNamedInWords(log, withoutFinalError(read(err).substring(named)), expected);
            // a task that fails on the refused database says so in words (one that failed on the stop's own connection
            // reset, before the database was lost, names the reset)
            assertThat(log.lines().filter(l -> l.contains(" failed, restarting from its last commit")
                    && !l.contains("Connection reset by peer") && !l.contains("Connection closed")).toList())
                    .as("task restarts:\n%s", log).allSatisfy(l -> assertThat(l).contains("has no database 20, the one REDIS_URL selects"));
            // the replay ended by itself, within seconds of the ERROR (the 60 s command timeout is not waited for)
            assertThat(replay.waitFor(20, TimeUnit.SECONDS)).as("the replay ended; stderr: %s", read(err)).isTrue();
            assertThat(replay.exitValue()).as("stderr: %s", read(err)).isEqualTo(3);
            assertThat(read(err)).contains("error: " + expected);
            // its close (the lease releases and the group's leave time out) says why in words too
            assertThat(read(err).lines().filter(l -> l.contains("releasing the lease failed") || l.contains("could not leave the group")))
                    .as("stderr: %s", read(err)).allSatisfy(l -> assertThat(l).contains("has no database 20, the one REDIS_URL selects"));
        } finally {
            if (replay != null) {
                replay.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            redis.stop();
        }
    }
}
