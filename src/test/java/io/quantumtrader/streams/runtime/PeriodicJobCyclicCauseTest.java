package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): a job failing with an exception whose causes form a cycle of two (A caused by B caused by A: Throwable only
 * refuses a cause equal to itself) made PeriodicJob.failed -> CauseMessages.of loop for ever on the scheduler thread:
 * the job never runs again, and a parallel-scheduler thread spins at 100 % CPU.
 */
class PeriodicJobCyclicCauseTest {

    @Test
    void aJobFailingWithACyclicCauseChainKeepsRunning() throws Exception {
        PeriodicJob job = new PeriodicJob("cyclic", Duration.ofMillis(50), Duration.ofSeconds(1), () -> {
            RuntimeException a = new RuntimeException("outer");
            RuntimeException b = new RuntimeException("inner");
            a.initCause(b);
            b.initCause(a);
            return Mono.error(a);
        });
        CompletableFuture<List<Boolean>> runs = job.runs(Duration.ZERO).take(3).collectList().toFuture();
        List<Boolean> result = null;
        try {
            result = runs.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // fall through
        }
        assertThat(result).as("three failed runs within 5 s (failures counted: " + job.failures() + ")")
                .containsExactly(false, false, false);
    }
}
