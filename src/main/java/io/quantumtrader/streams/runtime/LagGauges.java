package io.quantumtrader.streams.runtime;

import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What the consumer lag gauges ({@code qt.streams.consumer.lag}, {@code .pending}, {@code .oldest.pending.age.seconds})
 * show: the last reading of every source (group, stream, partition), refreshed by the background job {@link #job()},
 * and NaN ("not known", Prometheus' and Micrometer's value for a gauge that cannot be read) once
 * {@link #STALE_AFTER_FAILURES} refreshes in a row have failed. A gauge frozen at its last value while Redis cannot be
 * read hid a growing backlog from dashboards and alerts (found in review, 2026-12-06); the failures themselves are
 * counted in {@code qt.streams.job.failures{job=lag.refresh}}. The first successful refresh shows the truth again.
 */
final class LagGauges {

    /**
     * Failed refreshes in a row after which the gauges show NaN: one failure (a Redis failover, a slow reply) keeps the
     * last reading; three are at least three refresh intervals (15 s at {@link StreamsRuntime#LAG_REFRESH}) without one.
     */
    static final int STALE_AFTER_FAILURES = 3;

    private final Map<String, SourceLag> last = new ConcurrentHashMap<>();
    private final PeriodicJob job;

    /**
     * @param reading  one reading of every source's lag (e.g. {@link StreamsRuntime#lag()})
     * @param interval delay between the end of one refresh and the start of the next
     * @param timeout  a refresh taking longer fails
     */
    LagGauges(Supplier<Mono<List<SourceLag>>> reading, Duration interval, Duration timeout) {
        this.job = new PeriodicJob("lag refresh", interval, timeout, () -> reading.get().doOnNext(this::record));
    }

    /** @return the background job refreshing the readings (named {@code lag refresh}) */
    PeriodicJob job() {
        return job;
    }

    /**
     * Keeps {@code readings} as the last one of their sources (also from a refresh outside the job, e.g. a test's
     * {@link StreamsRuntime#refreshLag()}); while the job's refreshes keep failing the gauges still show NaN.
     */
    void record(List<SourceLag> readings) {
        readings.forEach(l -> last.put(key(l.group(), l.stream(), l.partition()), l));
    }

    /**
     * @return {@code f} of the source's last reading; 0 before its first; NaN while the readings are stale (the last
     *         {@link #STALE_AFTER_FAILURES} refreshes or more failed)
     */
    double value(String group, String stream, int partition, ToLongFunction<SourceLag> f) {
        if (stale()) {
            return Double.NaN;
        }
        SourceLag l = last.get(key(group, stream, partition));
        return l == null ? 0 : f.applyAsLong(l);
    }

    /** @return true while the last {@link #STALE_AFTER_FAILURES} refreshes or more failed */
    boolean stale() {
        return job.failureStreak() >= STALE_AFTER_FAILURES;
    }

    private static String key(String group, String stream, int partition) {
        return group + "|" + stream + "|" + partition;
    }
}
