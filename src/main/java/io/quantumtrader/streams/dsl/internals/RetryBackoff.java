package io.quantumtrader.streams.dsl.internals;

import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.util.List;

/** Retries after each of a fixed list of delays, then gives up with the last error (DESIGN §5: 100/500/2000 ms). */
public final class RetryBackoff {

    private RetryBackoff() {
    }

    /** @param delays the wait before retry 1, 2, …; its size is the number of retries */
    public static Retry of(List<Duration> delays) {
        return of(delays, e -> true);
    }

    /** @param retryable errors for which no retry is made fail at once */
    public static Retry of(List<Duration> delays, java.util.function.Predicate<Throwable> retryable) {
        return Retry.from(signals -> signals.concatMap(signal -> retryable.test(signal.failure())
                && signal.totalRetries() < delays.size()
                ? Mono.delay(delays.get((int) signal.totalRetries()))
                : Mono.error(signal.failure())));
    }
}
