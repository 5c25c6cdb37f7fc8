package io.quantumtrader.streams.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): (1) lease renewals were fired and forgotten by the "lease renewal" job, so its run
 * never failed and qt.streams.job.failures{background.job=lease.renewal} (documented in OPERATIONS.md) stayed 0 through
 * an outage that revoked every task; (2) renewals still in flight when close() returned were neither cancelled nor
 * tracked: once the connection went (the service's shutdown order), each logged a WARN and Reactor an ERROR with a
 * stack trace per task, after the runtime had closed.
 */
class ShutdownDuringPauseTest {

    @Test
    void renewalFailuresCountedAndNothingLogsAfterClose() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        double jobFailures;
        double renewalFailures;
        List<String> afterClose = new ArrayList<>();
        try (PausableRedis redis = PausableRedis.start("pause")) {
            StreamsRuntime runtime = redis.runningRuntime("pause", c -> c);
            redis.pause();
            Thread.sleep(12_000);   // longer than the lease TTL (10 s): every task is revoked
            redis.resume();
            PausableRedis.awaitAllRunning(runtime);
            var registry = runtime.metrics().registry();
            jobFailures = registry.find("qt.streams.job.failures").tag("background.job", "lease.renewal")
                    .functionCounter().count();
            renewalFailures = registry.find("qt.streams.lease.renewal.failures").functionCounter().count();

            redis.pause();
            Thread.sleep(1_000);
            runtime.close(Duration.ofSeconds(2));
            int closedAt = log.list.size();
            redis.destroyConnection();   // the service's shutdown: the connection goes after the runtime stopped
            Thread.sleep(2_000);
            for (ILoggingEvent e : new ArrayList<>(log.list).subList(closedAt, log.list.size())) {
                if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                    afterClose.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
                }
            }
        } finally {
            root.detachAppender(log);
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
