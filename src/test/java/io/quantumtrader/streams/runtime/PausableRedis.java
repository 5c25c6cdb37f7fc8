package io.quantumtrader.streams.runtime;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisOutageTest;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A redis-server of the test's own on a free loopback port that the test can pause (SIGSTOP: Redis answers nothing,
 * its connections stay open) and resume (SIGCONT), by the PID of that very process (other tests' servers may run in the
 * same JVM). Closing resumes it, destroys the connection and stops the server.
 */
final class PausableRedis implements AutoCloseable {

    private final RedisServer server;
    private final long pid;
    private RedisConnection connection;

    private PausableRedis(RedisServer server, long pid, RedisConnection connection) {
        this.server = server;
        this.pid = pid;
        this.connection = connection;
    }

    /** @param dirPrefix the name of its temporary directory */
    static PausableRedis start(String dirPrefix) throws IOException, InterruptedException {
        int port = RedisOutageTest.freePort();
        RedisServer server = RedisOutageTest.redisServer(port, Files.createTempDirectory(dirPrefix));
        server.start();
        return new PausableRedis(server, pidOf(port), RedisConnection.of("redis://127.0.0.1:" + port));
    }

    /** @return the pid of the redis-server started as a descendant of this JVM on {@code port} */
    private static long pidOf(int port) {
        List<ProcessHandle> redis = ProcessHandle.current().descendants()
                .filter(h -> h.info().command().orElse("").contains("redis"))
                .filter(h -> cmdline(h.pid()).contains(":" + port)).toList();   // redis-server's title: 127.0.0.1:<port>
        assertThat(redis).hasSize(1);
        return redis.get(0).pid();
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    RedisConnection connection() {
        return connection;
    }

    /**
     * @param ns      the runtime's namespace
     * @param adjust  changes to its configuration (ScaleOutTopology's catalog, batches of 20, instance r1)
     * @return a runtime of ScaleOutTopology (no per-record delay) on this Redis, started, once all its tasks run
     */
    StreamsRuntime runningRuntime(String ns, UnaryOperator<StreamsConfig> adjust) {
        StreamsConfig config = adjust.apply(StreamsConfig.defaults().withNamespace(ns).withInstanceId("r1")
                .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20));
        StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("none"), config, connection.template());
        runtime.start();
        awaitAllRunning(runtime);
        return runtime;
    }

    /** Waits (at most 30 s) until every task of a ScaleOutTopology runtime runs. */
    static void awaitAllRunning(StreamsRuntime runtime) {
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.group().tasks().values().stream()
                .filter(s -> s.name().equals("RUNNING")).count() == ScaleOutTopology.PARTITIONS);
    }

    void pause() throws Exception {
        signal("STOP");
    }

    void resume() throws Exception {
        signal("CONT");
    }

    /** Destroys the connection now (as the service's shutdown does after the runtime stopped). */
    void destroyConnection() {
        connection.factory().destroy();
        connection = null;
    }

    private void signal(String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws Exception {
        resume();
        RedisOutageTest.stop(connection, server);
    }
}
