package io.quantumtrader.app;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.runtime.PeriodicJob;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;

/**
 * Every {@code heartbeatInterval} publishes this instance's health to {@code system.health.heartbeat}; when the
 * status leaves UP (or comes back), publishes an alert to {@code system.alert.triggered} (CRITICAL for DOWN, WARNING
 * for OUT_OF_SERVICE, INFO when recovered). A change whose alert could not be published (Redis failing) is alerted at
 * the next heartbeat.
 */
public final class HeartbeatPublisher extends PeriodicJobLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatPublisher.class);

    /** {@code system.health.heartbeat} payload. */
    public record Heartbeat(String service, String instance, String status, List<String> problems, long recordsIn,
                            long deadLettered, long timestamp) {
    }

    /** {@code system.alert.triggered} payload. */
    public record Alert(String severity, String service, String instance, String message, List<String> problems, long timestamp) {
    }

    private final StreamsRuntime runtime;
    private final StreamsHealth health;
    private final EventPublisher publisher;
    private final Duration interval;
    /** The status of the last alert published (UP before any): a change is alerted until its alert is published. */
    private volatile StreamsHealth.Status last = StreamsHealth.Status.UP;
    /** The job of the latest start (null before the first) and the failures of the jobs of earlier starts, read together. */
    private record Jobs(long earlierFailures, PeriodicJob current) {
    }

    private volatile Jobs jobs = new Jobs(0, null);

    /**
     * Registers {@code qt.streams.job.failures{background.job=heartbeat.publish}} once: it counts the failures of every start's job
     * (before 2026-12-06 each start registered it again, and Micrometer kept the first start's job).
     *
     * @param interval between the end of one heartbeat and the start of the next; also a heartbeat's timeout
     */
    public HeartbeatPublisher(StreamsRuntime runtime, StreamsHealth health, EventPublisher publisher, Duration interval) {
        this.runtime = runtime;
        this.health = health;
        this.publisher = publisher;
        this.interval = interval;
        runtime.metrics().jobFailures("heartbeat.publish", this, HeartbeatPublisher::failures);
    }

    /** @return heartbeats that failed or timed out, over every start */
    long failures() {
        Jobs j = jobs;
        return j.earlierFailures() + (j.current() == null ? 0 : j.current().failures());
    }

    /** Checks health once and publishes the heartbeat (and an alert on a status change). */
    public Mono<Void> beat() {
        String service = runtime.topology().applicationId();
        String instance = runtime.config().instanceId();
        return health.check().flatMap(report -> {
            long now = System.currentTimeMillis();
            Mono<String> heartbeat = publisher.send("system.health.heartbeat", service, new Heartbeat(service, instance,
                    report.status().name(), report.problems(), runtime.counters().recordsIn(), runtime.counters().deadLettered(), now), now);
            StreamsHealth.Status previous = last;
            if (previous == report.status()) {
                return heartbeat.then();
            }
            String severity = switch (report.status()) {
                case DOWN -> "CRITICAL";
                case OUT_OF_SERVICE -> "WARNING";
                case UP -> "INFO";
            };
            String message = "streams health " + previous + " -> " + report.status();
            // the change counts as announced once its alert is in the stream: a failed heartbeat or alert is followed by
            // the next heartbeat's alert (before 2026-12-06 one failed XADD lost the alert for good)
            return heartbeat.then(publisher.send("system.alert.triggered", service,
                    new Alert(severity, service, instance, message, report.problems(), now), now))
                    .doOnSuccess(id -> last = report.status()).then();
        });
    }

    /**
     * Publishes a heartbeat now and then every {@code interval} after the previous one ended; a failed or slow one
     * (Redis down) is logged, counted in {@code qt.streams.job.failures{background.job=heartbeat.publish}} and followed by the
     * next ({@link PeriodicJob}).
     */
    @Override
    synchronized PeriodicJob job() {
        PeriodicJob job = new PeriodicJob("heartbeat publish", interval, interval, this::beat);
        Jobs before = jobs;
        // the job before is stopped: its count no longer changes
        jobs = new Jobs(before.earlierFailures() + (before.current() == null ? 0 : before.current().failures()), job);
        return job;
    }
}
