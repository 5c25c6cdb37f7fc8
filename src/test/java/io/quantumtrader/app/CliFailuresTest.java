package io.quantumtrader.app;

import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every CLI failure, run as a person would: the real {@code main} in a child JVM ({@link CliProcess}), against Redis
 * servers this test starts on loopback (one with {@code requirepass} and an ACL user). Each failure prints at most two
 * lines on stderr (cause, what to do), no stack trace unless {@code --verbose}, exits non-zero, and no output ever
 * contains a Redis password — also not the output of a successful replay, nor {@code /actuator/health} of a running
 * service.
 *
 * <p>The tests run concurrently, two at a time ({@code junit-platform.properties}): each waits on child JVMs, and the
 * class took ~50 s one by one. The one that counts the {@code redis-server} processes a failed replay leaves behind
 * runs alone among those that may start one (a replay without {@code REDIS_URL} starts its embedded Redis).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CliFailuresTest {

    private static final String PASSWORD = "Pw-" + UUID.randomUUID().toString().substring(0, 12);
    private static final String ALICE_PASSWORD = "Al-" + UUID.randomUUID().toString().substring(0, 12);
    private static final String WRONG = "Wrong-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration SHORT = Duration.ofSeconds(90);
    /** The {@code redis-server} processes of this machine: a replay without {@code REDIS_URL} starts one. */
    private static final String LOCAL_REDIS_SERVERS = "local redis-server processes";

    private static ReplayFixture.LocalRedis redis;
    private static int redisPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPasswordProtectedRedis() throws Exception {
        redis = ReplayFixture.startRedis("requirepass " + PASSWORD, "user alice on >" + ALICE_PASSWORD + " ~* &* +@all");
        redisPort = redis.port();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.stop();
        }
    }

    private static String url(String userInfo) {
        return "redis://" + userInfo + "@127.0.0.1:" + redisPort;
    }

    private CliProcess.Run run(Map<String, String> env, String... args) {
        return CliProcess.run(dir, env, SHORT, args);
    }

    /** One or two lines on stderr, the first naming the cause; no stack trace; no password anywhere. */
    private static void assertReadableFailure(CliProcess.Run run, int exitCode, String... causeContains) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
        assertThat(run.errLines()).as(run.toString()).hasSizeBetween(1, 2);
        assertThat(run.errLines().get(0)).as(run.toString()).startsWith("error: ").contains(causeContains);
        assertThat(run.all()).as("no stack trace without --verbose: " + run).doesNotContain("\tat ").doesNotContain("Caused by");
        assertNoSecret(run);
    }

    private static void assertNoSecret(CliProcess.Run run) {
        assertThat(run.all()).as("no password in the output").doesNotContain(PASSWORD).doesNotContain(ALICE_PASSWORD).doesNotContain(WRONG);
    }

    private Path smallCsv(int ticks) throws Exception {
        Path csv = dir.resolve("small.csv");
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Files.write(csv, r.lines().limit(ticks + 1L).collect(Collectors.toList()));
        }
        return csv;
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LOCAL_REDIS_SERVERS, mode = ResourceAccessMode.READ)
    void missingFile() {
        Path missing = dir.resolve("no-such-trades.csv");
        CliProcess.Run run = run(Map.of(), "replay", "--file", missing.toString());
        assertReadableFailure(run, 2, "file not found: " + missing);

        CliProcess.Run verbose = run(Map.of(), "replay", "--verbose", "--file", missing.toString());
        assertThat(verbose.exitCode()).isEqualTo(2);
        assertThat(verbose.stderr()).as("--verbose shows the stack trace").contains("file not found").contains("\tat ");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LOCAL_REDIS_SERVERS, mode = ResourceAccessMode.READ_WRITE) // counts the servers left behind
    void emptyAndHeaderOnlyCsvAreErrorsAndKeepTheLastReport() throws Exception {
        Path report = Files.createDirectories(dir.resolve("target/replay")).resolve("report.json");
        Files.writeString(report, "{\"last\":\"report\"}");
        Files.writeString(dir.resolve("empty.csv"), "");
        Files.writeString(dir.resolve("header.csv"), "timestamp,price,amount\n");

        java.util.Set<Long> redisBefore = redisServers();
        assertReadableFailure(run(Map.of(), "replay", "--file", "empty.csv"), 2, "no ticks in empty.csv", "empty");
        assertReadableFailure(run(Map.of(), "replay", "--file", "header.csv"), 2, "no ticks in header.csv", "only a header");
        assertThat(Files.readString(report)).isEqualTo("{\"last\":\"report\"}");
        // the replay starts its Redis while it parses the CSV (RedisStarting): a bad CSV must not leave it running
        // (RedisStarting.discard closes it; embedded-redis' shutdown hook would stop it at exit as well)
        java.util.Set<Long> left = redisServers();
        left.removeAll(redisBefore);
        assertThat(left).as("redis-server processes started by the failed replays and still running").isEmpty();
    }

    /** Two same-named files of one symbol: refused before anything is published, naming both (review 2026-12-06). */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ResourceLock(value = LOCAL_REDIS_SERVERS, mode = ResourceAccessMode.READ)
    void twoInputsWhoseEventIdsWouldCollideAreRefused() throws Exception {
        Path csv = smallCsv(10);
        Path day1 = Files.createDirectories(dir.resolve("day1")).resolve("trades.csv");
        Path day2 = Files.createDirectories(dir.resolve("day2")).resolve("trades.csv");
        Files.copy(csv, day1);
        Files.copy(csv, day2);
        CliProcess.Run run = run(Map.of(), "replay", "--file", "BTC-USD=" + day1, "--file", "BTC-USD=" + day2);
        assertReadableFailure(run, 2, day1.toString(), day2.toString(), "same event ids");
        assertThat(run.errLines().get(1)).contains("rename one");
    }

    /**
     * @return the PIDs of the redis-server processes running now that no living JVM started: one a failed replay left
     *         behind is an orphan (its JVM exited; adopted by init or a subreaper), while the Redis servers of other
     *         test JVMs on the machine (tests running beside this one) have a living Java parent and must not fail
     *         this test (they did once, 2026-12-05)
     */
    private static java.util.Set<Long> redisServers() {
        return ProcessHandle.allProcesses()
                // Debian's redis-server is a link to redis-check-rdb, which the process' executable then names: the
                // check missed the servers a replay starts from PATH (found 2026-12-06)
                .filter(p -> p.info().command().map(c -> c.contains("redis-server") || c.endsWith("/redis-check-rdb"))
                        .orElse(false))
                .filter(p -> p.parent().filter(ProcessHandle::isAlive)
                        .flatMap(parent -> parent.info().command()).map(c -> !c.endsWith("/java")).orElse(true))
                .map(ProcessHandle::pid).collect(Collectors.toCollection(java.util.HashSet::new));
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void unreachableRedisNamesHostAndPort() throws Exception {
        int closed = freePort();
        CliProcess.Run run = run(Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:" + closed), "replay", "--file",
                smallCsv(10).toString());
        assertReadableFailure(run, 3, "Redis at 127.0.0.1:" + closed + " is unreachable");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void wrongPasswordNamesTheUser() {
        assertReadableFailure(run(Map.of("REDIS_URL", url(":" + WRONG)), "replay"), 3,
                "authentication failed for user 'default' at Redis at 127.0.0.1:" + redisPort);
        assertReadableFailure(run(Map.of("REDIS_URL", url("alice:" + WRONG)), "bench", "--records", "10"), 3,
                "authentication failed for user 'alice'");
        assertReadableFailure(run(Map.of("REDIS_URL", "redis://127.0.0.1:" + redisPort), "kill-switch-reset", "--reason", "x"), 3,
                "requires a password");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void malformedUrlIsQuotedWithoutItsPassword() {
        CliProcess.Run badPort = run(Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:port"), "replay");
        assertReadableFailure(badPort, 2, "REDIS_URL is malformed", "redis://:***@127.0.0.1:port");
        CliProcess.Run space = run(Map.of("REDIS_URL", "redis://:" + WRONG + " x@127.0.0.1:1"), "kill-switch-reset", "--reason", "x");
        assertReadableFailure(space, 2, "REDIS_URL is malformed");
        CliProcess.Run scheme = run(Map.of("REDIS_URL", "http://:" + PASSWORD + "@127.0.0.1:1"), "replay");
        assertReadableFailure(scheme, 2, "scheme 'http' is not redis");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void serveExitsNonZeroWhenItCannotStart() throws Exception {
        assertReadableFailure(run(Map.of("REDIS_URL", url(":" + WRONG)), "serve", "--server.port=" + freePort()), 3,
                "authentication failed");
        assertReadableFailure(run(Map.of("REDIS_URL", "redis://:" + PASSWORD + "@127.0.0.1:x"), "serve"), 2, "REDIS_URL is malformed");
        // a bad setting is named with where it came from (found in review, 2026-12-05: 'For input string: "lots"')
        assertReadableFailure(run(Map.of("REDIS_URL", url(":" + PASSWORD), "QUANTUM_TRADER_MAX_LAG", "lots"), "serve",
                "--server.port=" + freePort()), 2, "invalid setting quantum-trader.max-lag='lots'", "QUANTUM_TRADER_MAX_LAG");
        try (ServerSocket taken = new ServerSocket(0)) {
            CliProcess.Run portInUse = run(Map.of("REDIS_URL", url(":" + PASSWORD)), "serve", "--server.port=" + taken.getLocalPort());
            assertReadableFailure(portInUse, 4, "port " + taken.getLocalPort() + " is already in use");
        }
    }

    /**
     * A heartbeat interval that is not positive (or a lease TTL, batch size the engine refuses) is named as the setting
     * it is: it was "invalid input: interval must be
     * positive, was PT0S", naming no setting, and only once the runtime had started and joined the group (review
     * 2026-12-06).
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aSettingTheServiceRefusesIsNamedAsTheSetting() throws Exception {
        assertReadableFailure(run(Map.of("REDIS_URL", url(":" + PASSWORD), "QUANTUM_TRADER_HEARTBEAT_INTERVAL", "0s"), "serve",
                "--server.port=" + freePort()), 2, "quantum-trader.heartbeat-interval", "QUANTUM_TRADER_HEARTBEAT_INTERVAL", "PT0S");
        // the engine's own checks of lease-ttl and batch-size named its fields (leaseTtl, batchSize), not the settings
        assertReadableFailure(run(Map.of("REDIS_URL", url(":" + PASSWORD), "QUANTUM_TRADER_LEASE_TTL", "0s"), "serve",
                "--server.port=" + freePort()), 2, "quantum-trader.lease-ttl", "QUANTUM_TRADER_LEASE_TTL", "PT0S");
        assertReadableFailure(run(Map.of("REDIS_URL", url(":" + PASSWORD), "QUANTUM_TRADER_BATCH_SIZE", "0"), "serve",
                "--server.port=" + freePort()), 2, "quantum-trader.batch-size", "QUANTUM_TRADER_BATCH_SIZE");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void killSwitchResetRefusesANamespaceWithoutData() {
        CliProcess.Run run = run(Map.of("REDIS_URL", url(":" + PASSWORD)), "kill-switch-reset", "--namespace", "nosuchns",
                "--reason", "test");
        assertReadableFailure(run, 2, "namespace 'nosuchns' has no kill-switch stream");
        assertReadableFailure(run(Map.of(), "kill-switch-reset", "--reason", "test"), 2, "REDIS_URL is not set");
        // a reason the audit entry cannot keep (review 2026-12-08: the reset was applied and its audit dead-lettered)
        assertReadableFailure(run(Map.of(), "kill-switch-reset", "--reason", "r".repeat(1_001)), 2,
                "--reason has 1001 characters, more than the 1000");
    }

    /**
     * Replay and bench options out of range are refused before anything starts, naming the option: before 2026-12-06 a
     * negative or NaN {@code --speed} ran (as fast as possible, or paced by NaN), {@code --punctuation-ms 0} hung,
     * {@code --batch-size 0} was refused after Redis had started as "batchSize", {@code --timeout PT0S} gave up at once;
     * {@code bench --records 0} and {@code --keys 0} hung, {@code --records -5} failed as "count >= required", and a
     * zero rate or duration measured nothing.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void optionsOutOfRangeAreRefusedBeforeAnythingStarts() {
        // one child JVM each: the cases seen to hang or mislead (the other bounds are the same check)
        java.util.List<String[]> cases = java.util.List.of(new String[]{"replay", "--speed", "-1"},
                new String[]{"replay", "--punctuation-ms", "0"}, new String[]{"replay", "--batch-size", "0"},
                new String[]{"bench", "--records", "0"}, new String[]{"bench", "--keys", "0"},
                new String[]{"bench", "--latency", "--rates", "1000,0"});
        cases.parallelStream().forEach(c -> {
            CliProcess.Run run = run(Map.of(), c);
            assertReadableFailure(run, 2, "invalid " + c[c.length - 2] + " ");
            assertThat(run.all()).as("refused before the input is read or Redis starts: " + run)
                    .doesNotContain("redis:").doesNotContain("read 100,000").doesNotContain("bench on");
        });
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void usageErrorsAreTwoLines() {
        assertReadableFailure(run(Map.of(), "replay", "--fil", "x.csv"), 2, "Unknown option");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aSuccessfulReplayOnAPasswordProtectedRedisNeverPrintsThePassword() throws Exception {
        String ns = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        CliProcess.Run replay = CliProcess.run(dir, Map.of("REDIS_URL", url(":" + PASSWORD), "QT_LOG_LEVEL", "DEBUG"),
                Duration.ofMinutes(3), "replay", "--verbose", "--file", smallCsv(3_000).toString(), "--namespace", ns);
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.stdout()).contains("ticks published      3,000").contains("redis: Redis at 127.0.0.1:" + redisPort);
        assertNoSecret(replay);
        assertThat(dir.resolve("target/replay/report.json")).exists();

        // the namespace as the service reads it (QT_NAMESPACE), the operator named for the audit log
        CliProcess.Run reset = run(Map.of("REDIS_URL", url("alice:" + ALICE_PASSWORD), "QT_NAMESPACE", ns), "kill-switch-reset",
                "--operator", "desk-lead", "--reason", "test", "--wait", "PT1S");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.stdout()).contains("kill switch reset published to namespace '" + ns + "'");
        // no service runs in the namespace (the replay ended): the command says the reset is not applied yet
        assertThat(reset.stderr()).contains("not applied within 1 s", "the first tick or signal applies it");
        assertNoSecret(reset);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aRunningServiceShowsNoPasswordInLogsOrHealth() throws Exception {
        int port = freePort();
        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        Process serve = CliProcess.start(dir, Map.of("REDIS_URL", url(":" + PASSWORD), "QT_LOG_LEVEL", "INFO",
                "QT_NAMESPACE", "serve-" + port), List.of("serve", "--server.port=" + port), out, err);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String body = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (body == null && System.nanoTime() < deadline && serve.isAlive()) {
                try {
                    body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException e) {
                    Thread.sleep(500);
                }
            }
            assertThat(body).as("health answered; stderr: " + Files.readString(err)).isNotNull().contains("\"streams\"");
            assertThat(body).doesNotContain(PASSWORD);
            // the line comes once the start returned; HTTP answers before (the runtime starts after the web server):
            // stopped at once, a loaded machine had not printed it yet (seen 2026-12-06)
            long printed = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(out).contains("serving: ") && System.nanoTime() < printed && serve.isAlive()) {
                Thread.sleep(200);
            }
        } finally {
            serve.destroy();
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertNoSecret(new CliProcess.Run(serve.exitValue(), Files.readString(out), Files.readString(err)));
        // what runs where, in one line (found in review, 2026-12-05: serve printed nothing at all)
        assertThat(Files.readString(out)).contains("serving: redis ").contains("namespace 'serve-" + port + "'")
                .contains("http port " + port);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
