package io.quantumtrader.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.runtime.PeriodicJob;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): the qt.streams.health meter's check swallows its own failure (onErrorResume) after logging it at WARN, so
 * its PeriodicJob sees only successes: an outage logs one WARN per check (every 10 s + timeout, for as long as it
 * lasts) instead of one per streak, no failure is counted, and nothing says "working again".
 */
class HealthMeterOutageLogTest {

    @Test
    void anOutageOfTenChecksLogsOneWarningAndCountsTheFailures() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger meterLog = (Logger) LoggerFactory.getLogger(HealthMeter.class);
        Logger jobLog = (Logger) LoggerFactory.getLogger(PeriodicJob.class);
        log.start();
        meterLog.addAppender(log);
        jobLog.addAppender(log);
        HealthMeter meter = new HealthMeter(() -> Mono.<StreamsHealth.Report>error(
                new IllegalStateException("Unable to connect to Redis")), new SimpleMeterRegistry(), "app", Duration.ofSeconds(10));
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        PeriodicJob job = meter.job();
        try {
            Disposable loop = job.runs(Duration.ZERO).subscribe();
            time.advanceTimeBy(Duration.ofSeconds(95));   // 10 failed checks, 10 s apart
            loop.dispose();
        } finally {
            VirtualTimeScheduler.reset();
            meterLog.detachAppender(log);
            jobLog.detachAppender(log);
        }
        long warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).count();
        assertThat(meter.value()).isEqualTo(HealthMeter.UNKNOWN);
        assertThat(warnings).as("WARN lines for one outage of 10 failed checks").isEqualTo(1);
        assertThat(job.failures()).as("failed checks counted by the job").isEqualTo(10);
    }
}
