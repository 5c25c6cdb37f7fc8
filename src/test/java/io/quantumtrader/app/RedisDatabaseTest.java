package io.quantumtrader.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database of {@code REDIS_URL} may be any the server has: {@code REDIS_URL} accepted 0 to 15 only, while a
 * server's {@code databases} setting may be larger (review 2026-12-06). One the server does not have (Redis answers
 * {@code ERR DB index is out of range} to SELECT) ends every command in two lines naming the database, the server's
 * limit (or its {@code databases} setting when the user may not read it) and what to do; exit code 3, no stack trace,
 * no password. Against a Redis started here with {@code databases 32} and a password; the CLI in child JVMs
 * ({@link CliProcess}).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RedisDatabaseTest {

    private static final String PASSWORD = "Db-" + UUID.randomUUID().toString().substring(0, 12);
    private static final String BOB_PASSWORD = "Bob-" + UUID.randomUUID().toString().substring(0, 12);
    private static final Duration SHORT = Duration.ofSeconds(90);

    private static ReplayFixture.LocalRedis redis;
    private static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedisWith32Databases() throws Exception {
        redis = ReplayFixture.startRedis("databases 32", "requirepass " + PASSWORD,
                // a user that may not read the configuration, as on managed services
                "user bob on >" + BOB_PASSWORD + " ~* &* +@all -config");
        port = redis.port();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.stop();
        }
    }

    private static String url(String userInfo, int database) {
        return "redis://" + userInfo + "@127.0.0.1:" + port + "/" + database;
    }

    @Test
    void anyNonNegativeDatabaseIsAccepted() {
        assertThat(RedisUrl.target("redis://h:6379/20").database()).isEqualTo(20);
        assertThat(RedisUrl.target("redis://h:6379/1000").database()).isEqualTo(1000);
        assertThatThrownBy(() -> RedisUrl.target("redis://h:6379/-1")).hasMessageContaining("database '-1' is not a number of 0 or more");
        assertThatThrownBy(() -> RedisUrl.target("redis://h:6379/x")).hasMessageContaining("database 'x' is not a number of 0 or more");
        assertThatThrownBy(() -> RedisUrl.target("redis://h:6379/99999999999")).hasMessageContaining("up to 2147483647");
        // a limit that would admit the database (a proxy answering for another server) is not quoted as the cause
        assertThat(FailureMessages.databaseOutOfRange(new IllegalStateException("ERR DB index is out of range"),
                RedisUrl.target("redis://h:6379/40"), 64).getMessage()).contains("has no database 40", "40 or less").doesNotContain("64");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)   // child JVMs: two at a time, as CliFailuresTest's
    void aReplayRunsInDatabase20OfAServerWith32() throws Exception {
        Path work = ReplayFixture.workDir(dir, "replay");
        String ns = "db20-" + UUID.randomUUID().toString().substring(0, 8);
        CliProcess.Run run = CliProcess.run(work, Map.of("REDIS_URL", url(":" + PASSWORD, 20)), Duration.ofMinutes(3),
                "replay", "--file", ReplayFixture.trades(dir, 2_000).toString(), "--namespace", ns);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("ticks published      2,000");
        assertThat(run.all()).doesNotContain(PASSWORD);
        try (RedisConnection db20 = RedisConnection.of(url(":" + PASSWORD, 20));
             RedisConnection db0 = RedisConnection.of(url(":" + PASSWORD, 0))) {
            assertThat(db20.template().keys(ns + ":*").count().block(Duration.ofSeconds(10))).as("keys of the replay in database 20")
                    .isPositive();
            assertThat(db0.template().execute(c -> c.serverCommands().dbSize()).blockFirst(Duration.ofSeconds(10)))
                    .as("keys in database 0").isZero();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)   // child JVMs: two at a time, as CliFailuresTest's
    void aDatabaseTheServerDoesNotHaveIsNamedWithTheServersLimit() throws Exception {
        Path work = ReplayFixture.workDir(dir, "commands");
        Map<String, String> env = Map.of("REDIS_URL", url(":" + PASSWORD, 40));
        String trades = ReplayFixture.trades(dir, 10).toString();
        for (String[] command : new String[][]{{"replay", "--file", trades}, {"serve", "--server.port=" + freePort()},
                {"bench", "--records", "10", "--warmup", "0"}, {"kill-switch-reset", "--reason", "test"}}) {
            CliProcess.Run run = CliProcess.run(work, env, SHORT, command);
            assertReadableFailure(run, "Redis at 127.0.0.1:" + port + " has no database 40", "it has 32, 0 to 31",
                    "'databases' setting");
            assertThat(run.errLines().get(1)).as(run.toString()).contains("from 0 to 31 in REDIS_URL", "raise 'databases'");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)   // child JVMs: two at a time, as CliFailuresTest's
    void whenTheUserMayNotReadTheConfigurationTheSettingIsNamed() throws Exception {
        CliProcess.Run run = CliProcess.run(ReplayFixture.workDir(dir, "bob"), Map.of("REDIS_URL", url("bob:" + BOB_PASSWORD, 40)),
                SHORT, "kill-switch-reset", "--reason", "test");
        assertReadableFailure(run, "Redis at 127.0.0.1:" + port + " has no database 40", "'databases' setting is 40 or less");
        assertThat(run.errLines().get(1)).as(run.toString()).contains("smaller database in REDIS_URL", "raise 'databases'");
    }

    /** Two lines on stderr, the first naming the cause; exit code 3; no stack trace; no password anywhere. */
    private static void assertReadableFailure(CliProcess.Run run, String... causeContains) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliException.REDIS);
        assertThat(run.errLines()).as(run.toString()).hasSize(2);
        assertThat(run.errLines().get(0)).as(run.toString()).startsWith("error: ").contains(causeContains);
        assertThat(run.all()).as("no stack trace: " + run).doesNotContain("\tat ").doesNotContain("Caused by");
        assertThat(run.all()).as("no password").doesNotContain(PASSWORD).doesNotContain(BOB_PASSWORD);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
