package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;

/**
 * Alerts the engine raises itself on {@code system.alert.triggered} (DESIGN §6), e.g. a task stopped because its
 * commit (or read, or claim) is refused for good. Same payload shape as the service's health alerts. Publishing is best effort: a failure
 * is logged, never thrown (the alert is about a failure already).
 */
final class EngineAlerts {

    static final String STREAM = "system.alert.triggered";
    private static final Logger log = LoggerFactory.getLogger(EngineAlerts.class);

    /** {@code system.alert.triggered} payload. */
    record Alert(String severity, String service, String instance, String message, List<String> problems, long timestamp) {
    }

    private final EventPublisher publisher;
    private final String service;
    private final String instance;

    EngineAlerts(ReactiveStringRedisTemplate redis, StreamsConfig config, String applicationId) {
        this.publisher = EventPublisher.of(redis, config, applicationId + "/runtime");
        this.service = applicationId;
        this.instance = config.instanceId();
    }

    /** Publishes a CRITICAL alert (asynchronously, retried a few times). */
    void critical(String message) {
        long now = System.currentTimeMillis();
        publisher.send(STREAM, service, new Alert("CRITICAL", service, instance, message, List.of(message), now), now)
                .retryWhen(reactor.util.retry.Retry.backoff(3, Duration.ofMillis(200)))
                .subscribe(id -> { }, e -> log.warn("could not publish the alert '{}': {}", message, e.toString()));
    }
}
