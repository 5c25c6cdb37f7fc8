package io.quantumtrader.streams.runtime;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisOutageTest;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.ReplyHoldingProxy;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;
import redis.embedded.RedisServer;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime's start waits for a Redis that does not answer yet (here: paused for writes, {@code CLIENT PAUSE WRITE},
 * as during a failover; creating a consumer group is a write) instead of failing at the first timeout. Before
 * (2026-12-06) the consumer groups' creation got 30 s in all ({@code blockLast(30 s)}) and the partition-count check
 * before it the same: a Redis paused for 35 s at startup aborted the run with "Timeout on blocking read" (checked with
 * a 35 s pause through {@link StreamsRuntime#start()}). Each test has a Redis of its own: a pause stops every client.
 */
@Timeout(60)
class StartupRetryTest {

    private RedisServer server;
    private int port;
    private RedisConnection connection;
    private RedisClient adminClient;
    private StatefulRedisConnection<String, String> adminConnection;

    @BeforeEach
    void startRedis() throws Exception {
        port = RedisOutageTest.freePort();
        server = RedisServer.builder().bind("127.0.0.1").port(port).setting("save \"\"").setting("appendonly no").build();
        server.start();
        connection = RedisConnection.of("redis://127.0.0.1:" + port);
        // pause and unpause on a connection of their own: a paused command holds up the commands after it on its connection
        adminClient = RedisClient.create("redis://127.0.0.1:" + port);
        adminConnection = adminClient.connect();
    }

    @AfterEach
    void stopRedis() {
        if (adminConnection != null) {
            client("UNPAUSE");
            adminConnection.close();
            adminClient.shutdown();
        }
        RedisOutageTest.stop(connection, server);
    }

    /**
     * Virtual time: two attempts get no reply (3 s each; a backoff of 0.5 s to 1.5 s, 1 s jittered, after each), the
     * third, in flight from 9 s at the latest until 10 s at the earliest, is answered once Redis resumes.
     */
    @Test
    void aGroupsCreationIsRetriedWithBackoffUntilRedisAnswers() {
        StartupRetry retry = new StartupRetry(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(2));
        StepVerifier.withVirtualTime(() -> groupCreationWhileRedisIsPaused(retry))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(9))   // attempts 1 and 2 get no reply; attempt 3 is sent
                .then(() -> client("UNPAUSE"))
                .expectNextCount(1)
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        assertThat(connection.template().opsForStream().groups(KEY).map(g -> g.groupName()).collectList().block()).containsExactly("g");
    }

    /** Virtual time: Redis never answers; after the limit the start fails with one line naming the stream and what to check. */
    @Test
    void pastTheLimitTheStartFailsWithOneLineNamingTheStream() {
        StartupRetry retry = new StartupRetry(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofMinutes(2));
        StepVerifier.withVirtualTime(() -> groupCreationWhileRedisIsPaused(retry))
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(3))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(StartupRetry.RedisNotReadyException.class)
                        .hasMessageContaining("creating consumer group g of stream " + KEY)
                        .hasMessageContaining("within PT2M")
                        .hasMessageContaining("Check that Redis is up")
                        .hasMessageNotContaining("\n")
                        // the CLI reports it as it is, exit code 3 (Redis cannot be used)
                        .satisfies(x -> assertThat(io.quantumtrader.app.FailureMessages.describe(x).exitCode())
                                .isEqualTo(io.quantumtrader.app.CliException.REDIS)))
                .verify(Duration.ofSeconds(20));
    }

    /** A Redis paused for writes for 3 s while the runtime starts: the start waits for it and the groups are made. */
    @Test
    void theRuntimeStartsOnceAPausedRedisResumes() {
        TopologyBuilder b = new TopologyBuilder("startup-wait");
        b.stream("in", String.class).to("out");
        StreamsConfig config = StreamsConfig.defaults().withNamespace("startup");
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), config, connection.template())
                .withStartupRetry(new StartupRetry(Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(500),
                        Duration.ofSeconds(30)))) {
            client("PAUSE", "3000", "WRITE");
            long started = System.nanoTime();
            runtime.start();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the pause").isGreaterThan(Duration.ofSeconds(2));
            assertThat(runtime.state()).isEqualTo(RuntimeState.RUNNING);
            String key = new StreamKeys("startup").stream("in", 0);
            assertThat(connection.template().opsForStream().groups(key).count().block()).isEqualTo(1);
        }
    }

    /**
     * A refused password is no Redis that is not ready: the start fails at once with the refusal, not after the limit as
     * "no reply" (found in review, 2026-12-06: retried for the whole limit, then reported as RedisNotReadyException).
     */
    @Test
    void aWrongPasswordFailsTheStartAtOnce() throws Exception {
        int port = RedisOutageTest.freePort();
        RedisServer guarded = RedisServer.builder().bind("127.0.0.1").port(port).setting("save \"\"").setting("appendonly no")
                .setting("requirepass right-one").build();
        guarded.start();
        org.springframework.data.redis.connection.RedisStandaloneConfiguration conf =
                new org.springframework.data.redis.connection.RedisStandaloneConfiguration("127.0.0.1", port);
        conf.setPassword(org.springframework.data.redis.connection.RedisPassword.of("wrong-one"));
        org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory factory =
                new org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory(conf);
        factory.afterPropertiesSet();
        factory.start();
        try {
            TopologyBuilder b = new TopologyBuilder("wrong-pass");
            b.stream("in", String.class).to("out");
            long started = System.nanoTime();
            Throwable failure;
            try (StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace("wp"),
                    new org.springframework.data.redis.core.ReactiveStringRedisTemplate(factory))
                    .withStartupRetry(new StartupRetry(Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(500),
                            Duration.ofSeconds(8)))) {
                failure = org.assertj.core.api.Assertions.catchThrowable(runtime::start);
            }
            assertThat(failure).isNotNull().isNotInstanceOf(StartupRetry.RedisNotReadyException.class);
            assertThat(io.quantumtrader.streams.runtime.CauseMessages.of(failure)).contains("WRONGPASS");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("failed at once, not after the limit")
                    .isLessThan(Duration.ofSeconds(4));
        } finally {
            factory.destroy();
            guarded.stop();
        }
    }

    /**
     * A consumer group's creation gets the configured attempt timeout (8 s here), not {@link StreamAdmin}'s own 5 s:
     * a reply 6 s late is waited for, no retry, no warning. Before (review of 2026-12-06) the admin script gave up
     * after 5 s and the start logged "failed (no reply within PT8S)" and sent it again.
     */
    @Test
    void aGroupsCreationWaitsForTheConfiguredAttemptTimeout() throws Exception {
        String key = new StreamKeys("slow-group").stream("in", 0);
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(port);
             RedisConnection slow = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             Captured logs = Captured.of(StartupRetry.class)) {
            proxy.delayRepliesAfter(key, Duration.ofSeconds(6));   // the group's creation is the first request naming it
            try (StreamsRuntime runtime = new StreamsRuntime(topology("slow-group"), StreamsConfig.defaults().withNamespace("slow-group"),
                    slow.template()).withStartupRetry(new StartupRetry(Duration.ofSeconds(8), Duration.ofMillis(100),
                    Duration.ofMillis(500), Duration.ofSeconds(30)))) {
                long started = System.nanoTime();
                runtime.start();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the late reply")
                        .isGreaterThan(Duration.ofSeconds(5));
                assertThat(logs.warnings()).as("one attempt: no retry").isEmpty();
                assertThat(connection.template().opsForStream().groups(key).count().block()).isEqualTo(1);
            }
        }
    }

    /**
     * The eviction-policy check gets one attempt within the configured attempt timeout and never fails the start: on a
     * Redis Cluster it asks every node, a failed replica included ({@code StartWithADeadReplicaTest}). No reply in time
     * is said in a warning naming the setting. Before (review of 2026-12-06) a fixed 5 s, and a timeout was taken for
     * "no evicting policy", silently.
     */
    @Test
    void aSlowEvictionPolicyCheckIsSaidNotIgnored() throws Exception {
        connection.template().execute(c -> c.serverCommands().setConfig("maxmemory-policy", "allkeys-lru")).blockLast();
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(port);
             RedisConnection slow = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             Captured runtimeLog = Captured.of(StreamsRuntime.class)) {
            proxy.delayRepliesAfter("maxmemory-policy", Duration.ofSeconds(6));
            try (StreamsRuntime runtime = new StreamsRuntime(topology("slow-check"), StreamsConfig.defaults().withNamespace("slow-check"),
                    slow.template()).withStartupRetry(new StartupRetry(Duration.ofSeconds(2), Duration.ofMillis(100),
                    Duration.ofMillis(500), Duration.ofSeconds(30)))) {
                runtime.start();
                assertThat(runtimeLog.warnings()).as("said, not taken for noeviction")
                        .anyMatch(w -> w.contains("maxmemory-policy") && w.contains("not checked"));
            }
        } finally {
            connection.template().execute(c -> c.serverCommands().setConfig("maxmemory-policy", "noeviction")).blockLast();
        }
    }

    /**
     * The legacy-layout check is a startup step too: when Redis does not answer it within the limit the start fails
     * with one line naming it. Before (review of 2026-12-06) its timeout (fixed 5 s) was taken for "nothing found" and
     * the start went on.
     */
    @Test
    void aLegacyLayoutCheckWithoutAReplyFailsTheStartNamingIt() throws Exception {
        assertStartFails("legacy", "legacy:{0}:s:in", "key layout");
    }

    /**
     * The commit script's preload (SCRIPT LOAD on the commit connection) gets one attempt within the attempt timeout; no
     * reply only costs speed (commits fall back to EVAL), so the start goes on with a warning. Before (review of
     * 2026-12-06) it had no timeout at all: the start waited for the client's command timeout (60 s); retried as a
     * startup step it failed every start on a Redis Cluster with a replica down ({@code StartWithADeadReplicaTest}).
     */
    @Test
    void aCommitScriptPreloadWithoutAReplyIsAWarning() throws Exception {
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(port);
             RedisConnection slow = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             Captured runtimeLog = Captured.of(StreamsRuntime.class)) {
            proxy.delayRepliesAfter("SCRIPT", Duration.ofSeconds(60));
            StreamsRuntime runtime = new StreamsRuntime(topology("preload"), StreamsConfig.defaults().withNamespace("preload"),
                    slow.template()).withStartupRetry(new StartupRetry(Duration.ofMillis(500), Duration.ofMillis(100),
                    Duration.ofMillis(500), Duration.ofSeconds(3)));
            java.util.concurrent.CompletableFuture<Void> start = java.util.concurrent.CompletableFuture.runAsync(runtime::start);
            try {
                start.get(15, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(runtimeLog.warnings()).anyMatch(w -> w.contains("could not preload the commit script")
                        && w.contains("no reply within PT0.5S"));
            } finally {
                proxy.close();   // before the connection: its close would wait for replies held back
                runtime.close();
            }
        }
    }

    /** Starts a runtime in namespace {@code ns} whose replies stop after the first request containing {@code text}. */
    private void assertStartFails(String ns, String text, String named) throws Exception {
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(port);
             RedisConnection slow = RedisConnection.of("redis://127.0.0.1:" + proxy.port())) {
            proxy.delayRepliesAfter(text, Duration.ofSeconds(60));
            StreamsRuntime runtime = new StreamsRuntime(topology(ns), StreamsConfig.defaults().withNamespace(ns), slow.template())
                    .withStartupRetry(new StartupRetry(Duration.ofMillis(500), Duration.ofMillis(100), Duration.ofMillis(500),
                            Duration.ofSeconds(3)));
            java.util.concurrent.CompletableFuture<Void> start = java.util.concurrent.CompletableFuture.runAsync(runtime::start);
            try {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> start.get(15, java.util.concurrent.TimeUnit.SECONDS)))
                        .as(ns).isInstanceOf(java.util.concurrent.ExecutionException.class)
                        .cause().isInstanceOf(StartupRetry.RedisNotReadyException.class)
                        .hasMessageContaining(named).hasMessageContaining("within PT3S").hasMessageNotContaining("\n");
            } finally {
                proxy.close();   // before the connection: its close would wait for replies held back
                runtime.close();
            }
        }
    }

    private static io.quantumtrader.streams.dsl.Topology topology(String applicationId) {
        TopologyBuilder b = new TopologyBuilder(applicationId);
        b.stream("in", String.class).to("out");
        return b.build();
    }

    /** The WARN and ERROR lines of a logger while open. */
    private record Captured(ch.qos.logback.classic.Logger logger,
                            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender)
            implements AutoCloseable {

        static Captured of(Class<?> source) {
            ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(source);
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                    new ch.qos.logback.core.read.ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            return new Captured(logger, appender);
        }

        java.util.List<String> warnings() {
            return lines(ch.qos.logback.classic.Level.WARN);
        }

        java.util.List<String> errors() {
            return lines(ch.qos.logback.classic.Level.ERROR);
        }

        private java.util.List<String> lines(ch.qos.logback.classic.Level level) {
            return appender.list.stream().filter(e -> e.getLevel() == level)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }

    private static final String KEY = new StreamKeys("paused").stream("ticks", 0);

    /** Pauses Redis' writes, then @return the creation of group g of {@link #KEY}, retried by {@code retry} */
    private reactor.core.publisher.Mono<Boolean> groupCreationWhileRedisIsPaused(StartupRetry retry) {
        client("PAUSE", "600000", "WRITE");
        return retry.retried(new StreamAdmin(connection.template()).ensureGroup(KEY, "g"),
                "creating consumer group g of stream " + KEY, retry.deadline());
    }

    private void client(String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            a.add(arg);
        }
        adminConnection.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), a);
    }
}
