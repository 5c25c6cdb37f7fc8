package io.quantumtrader.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): the redis reachability pings are a PeriodicJob whose failures were counted by the job
 * but never exported in qt.streams.job.failures (only HeartbeatPublisher and the runtime's jobs registered it).
 */
class BackgroundJobFailuresMeterTest {

    @Test
    void failedReachabilityPingsShowInTheJobFailuresMeter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            RedisReachability reachability = new RedisReachability(() -> Mono.error(new IllegalStateException("down")),
                    Duration.ofSeconds(2), Duration.ofSeconds(10)).withMeter(registry, "app");
            var job = reachability.job();
            Disposable loop = job.runs(Duration.ZERO).subscribe();
            time.advanceTimeBy(Duration.ofSeconds(11));
            loop.dispose();
            assertThat(job.failures()).isPositive();
            assertThat(reachability.reachable()).isFalse();
        } finally {
            VirtualTimeScheduler.reset();
        }
        FunctionCounter c = registry.find("qt.streams.job.failures").tag("application", "app")
                .tag(io.quantumtrader.streams.metrics.StreamsMetrics.BACKGROUND_JOB_TAG, "redis.reachability").functionCounter();
        assertThat(c).as("qt.streams.job.failures for the reachability pings").isNotNull();
        assertThat(c.count()).isPositive();
    }
}
