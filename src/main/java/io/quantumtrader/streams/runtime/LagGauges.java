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
 * show: the last reading of every source (group, stream, partition), refreshed source by source by the background job
 * {@link #job()}, and NaN ("not known", Prometheus' and Micrometer's value for a gauge that cannot be read) once
 * {@link #STALE_AFTER_FAILURES} readings of that source in a row have failed. A gauge frozen at its last value while
 * Redis cannot be read hid a growing backlog from dashboards and alerts (found in review, 2026-12-06:
 * {@code StaleLagGaugesTest}); a refresh with a failed source is counted in
 * {@code qt.streams.job.failures{background.job=lag.refresh}}. The first successful reading shows the truth again.
 *
 * <p>A source that cannot be read (its Redis Cluster node down) shows NaN and the others keep showing their readings:
 * one refresh of every source failed as a whole at the first failing one, and after three every gauge of the instance
 * showed NaN (found in review, 2026-12-06, of the background passes: {@code LagGaugesPerSourceTest}).
 */
final class LagGauges {

    /**
     * Failed readings of a source in a row after which its gauges show NaN: one failure (a Redis failover, a slow
     * reply) keeps the last reading; three are at least three refresh intervals (15 s at
     * {@link StreamsRuntime#LAG_REFRESH}) without one.
     */
    static final int STALE_AFTER_FAILURES = 3;

    private final Map<String, SourceLag> last = new ConcurrentHashMap<>();
    /** Failed readings in a row per source key; absent: the last reading succeeded. */
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final PeriodicJob job;

    /**
     * One source's reading.
     *
     * @param group     consumer group
     * @param stream    logical stream name
     * @param partition partition number
     * @param reading   its lag, read when subscribed
     */
    record Source(String group, String stream, int partition, Mono<SourceLag> reading) {
    }

    private LagGauges(PeriodicJob job) {
        this.job = job;
    }

    /**
     * Gauges refreshed source by source ({@link ResilientPass}, {@link ResilientPass#CONCURRENCY} at a time): a
     * source whose reading fails counts a failure of its own (NaN after {@link #STALE_AFTER_FAILURES} in a row) and
     * the others are still read; a refresh with a failed source fails after the others were read, so the job counts
     * it; a refresh cut by the job's timeout counts a failure for each source it had not read.
     *
     * @param sources  every source to read, with its reading (e.g. {@code StreamsRuntime}'s sources)
     * @param interval delay between the end of one refresh and the start of the next
     * @param timeout  a refresh taking longer fails (every source's gauge NaN after {@link #STALE_AFTER_FAILURES})
     */
    static LagGauges perSource(Supplier<List<Source>> sources, Duration interval, Duration timeout) {
        LagGauges[] gauges = new LagGauges[1];
        gauges[0] = new LagGauges(new PeriodicJob("lag refresh", interval, timeout, () -> gauges[0].readEach(sources.get())));
        return gauges[0];
    }

    private Mono<Void> readEach(List<Source> sources) {
        java.util.Set<String> done = ConcurrentHashMap.newKeySet();
        return ResilientPass.over("read the lag of", "sources", sources,
                        s -> s.group() + " on " + s.stream() + "/" + s.partition(), s -> {
                            String key = key(s.group(), s.stream(), s.partition());
                            return s.reading()
                                    .doOnNext(l -> {
                                        last.put(key, l);
                                        failures.remove(key);
                                    })
                                    .doOnError(e -> failures.merge(key, 1, Integer::sum))
                                    .doOnTerminate(() -> done.add(key))
                                    .thenReturn(1L);   // counts the sources read
                        })
                .doOnCancel(() -> sources.forEach(s -> {   // the job's timeout: what was not read failed
                    String key = key(s.group(), s.stream(), s.partition());
                    if (done.add(key)) {
                        failures.merge(key, 1, Integer::sum);
                    }
                }))
                .then();
    }

    /** @return the background job refreshing the readings (named {@code lag refresh}) */
    PeriodicJob job() {
        return job;
    }

    /**
     * Keeps {@code readings} as the last one of their sources, read outside the job (e.g. a test's
     * {@link StreamsRuntime#refreshLag()}): each shows its reading again, whatever its failures before.
     */
    void record(List<SourceLag> readings) {
        readings.forEach(l -> {
            String key = key(l.group(), l.stream(), l.partition());
            last.put(key, l);
            failures.remove(key);
        });
    }

    /**
     * @return {@code f} of the source's last reading; NaN before its first (until 2026-12-07 0: a dashboard or an
     *         alert saw "no backlog" for a source not read yet, found in review) and while its last
     *         {@link #STALE_AFTER_FAILURES} readings or more failed
     */
    double value(String group, String stream, int partition, ToLongFunction<SourceLag> f) {
        String key = key(group, stream, partition);
        if (failures.getOrDefault(key, 0) >= STALE_AFTER_FAILURES) {
            return Double.NaN;
        }
        SourceLag l = last.get(key);
        return l == null ? Double.NaN : f.applyAsLong(l);
    }

    private static String key(String group, String stream, int partition) {
        return group + "|" + stream + "|" + partition;
    }
}
