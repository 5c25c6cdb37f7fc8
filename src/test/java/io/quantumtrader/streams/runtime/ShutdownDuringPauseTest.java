package io.quantumtrader.streams.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisOutageTest;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Found in review (2026-12-07): (1) lease renewals were fired and forgotten by the "lease renewal" job, so its run never failed and
 * qt.streams.job.failures{background.job=lease.renewal} (documented in OPERATIONS.md) stayed 0 through an outage that
 * revoked every task; (2) renewals still in flight when close() returned were neither cancelled nor tracked: once the
 * connection goes (the service's shutdown order), each logs a WARN and Reactor logs an ERROR with a stack trace per
 * task, after the runtime has closed.
 */
class ShutdownDuringPauseTest {

    /** @return the pid of the redis-server this test started, on {@code port} (other tests' servers may run too) */
    static long redisPid(int port) {
        List<ProcessHandle> redis = ProcessHandle.current().descendants()
                .filter(h -> h.info().command().orElse("").contains("redis"))
                .filter(h -> cmdline(h.pid()).contains(":" + port)).toList();   // redis-server's title: 127.0.0.1:<port>
        assertThat(redis).hasSize(1);
        return redis.get(0).pid();
    }

    private static String cmdline(long pid) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static void signal(long pid, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    }

    @Test
    void renewalFailuresCountedAndNothingLogsAfterClose() throws Exception {
        int port = RedisOutageTest.freePort();
        RedisServer server = RedisOutageTest.redisServer(port, Files.createTempDirectory("pause"));
        server.start();
        long pid = redisPid(port);
        RedisConnection connection = RedisConnection.of("redis://127.0.0.1:" + port);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        double jobFailures;
        double renewalFailures;
        List<String> afterClose = new ArrayList<>();
        try {
            StreamsConfig config = StreamsConfig.defaults().withNamespace("pause").withInstanceId("r1")
                    .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
            StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("none"), config, connection.template());
            runtime.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.group().tasks().values().stream()
                    .filter(s -> s.name().equals("RUNNING")).count() == ScaleOutTopology.PARTITIONS);
            signal(pid, "STOP");
            Thread.sleep(12_000);   // longer than the lease TTL (10 s): every task is revoked
            signal(pid, "CONT");
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.group().tasks().values().stream()
                    .filter(s -> s.name().equals("RUNNING")).count() == ScaleOutTopology.PARTITIONS);
            var registry = runtime.metrics().registry();
            jobFailures = registry.find("qt.streams.job.failures").tag("background.job", "lease.renewal")
                    .functionCounter().count();
            renewalFailures = registry.find("qt.streams.lease.renewal.failures").functionCounter().count();

            signal(pid, "STOP");
            Thread.sleep(1_000);
            runtime.close(Duration.ofSeconds(2));
            int closedAt = log.list.size();
            connection.factory().destroy();   // the service's shutdown: the connection goes after the runtime stopped
            connection = null;
            Thread.sleep(2_000);
            for (ILoggingEvent e : new ArrayList<>(log.list).subList(closedAt, log.list.size())) {
                if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                    afterClose.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
                }
            }
        } finally {
            root.detachAppender(log);
            signal(pid, "CONT");
            RedisOutageTest.stop(connection, server);
        }
        assertThat(renewalFailures).as("qt.streams.lease.renewal.failures").isPositive();
        List<String> failures = new ArrayList<>();
        if (jobFailures == 0) {
            failures.add("qt.streams.job.failures{background.job=lease.renewal} = 0 after a 12 s pause (lease.renewal.failures = "
                    + renewalFailures + ")");
        }
        if (!afterClose.isEmpty()) {
            failures.add(afterClose.size() + " WARN/ERROR lines after close() returned: " + afterClose);
        }
        assertThat(failures).isEmpty();
    }
}
