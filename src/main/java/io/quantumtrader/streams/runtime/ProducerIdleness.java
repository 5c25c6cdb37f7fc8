package io.quantumtrader.streams.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Producer idleness for event-time alignment (Flink's source idleness, per producer): with an idle timeout configured,
 * a producer task whose watermark has not moved for that long (wall clock) is left out of its input's watermark until
 * it moves again. An expected producer that has published no watermark yet is awaited as long while its hold mark (a
 * holding sub-topology's task writes one at the start of each run, before its first read, so it is running) stands
 * still; one of a holding sub-topology that has published neither is awaited until its task could have restarted
 * ({@link #holderRestartMs()}), any other one timeout (it writes no hold mark). A producer that has ended
 * (watermark {@link Long#MAX_VALUE}) is never idle: it stands still because nothing more will come. Nor is a producer
 * task that holds records back while it says so: its hold mark ({@link io.quantumtrader.streams.redis.StreamKeys#holdMarks},
 * a heartbeat written with its commits and at every punctuation while it holds) keeps changing, and a change of the
 * mark counts as the producer moving. Its watermark is pinned below the held record and stands still because of the
 * hold, not for lack of records: left out, the other producers' watermarks passed the held record, which then came
 * behind the records after it (review of 2026-12-06, {@code HoldingProducerIdlenessTest}). A holding mark that stands
 * still — its task stopped while it held: a process that died, a task moving to another instance, or a run that stopped
 * before this reader started — is the last of a run whose next one restores the held records and writes its mark again
 * at its start ({@code StreamTask#markHoldsAtStart}) once the task's lease is free: it is awaited
 * {@link #holderRestartMs() for as long as that takes}, as a holding producer that has shown nothing, whether or not
 * this reader saw it move before. Left out after one timeout, the other producers' watermarks passed the restored held
 * record: for a mark this reader had only seen stand still until the review of 2026-12-06 ({@code RestartedHoldTest}),
 * for one it had seen move until 2026-12-07 (the holder's process died while the reader ran: its lease, 10 s by
 * default, outlived the 5 s idle timeout;
 * {@code RestartedHoldTest#aHolderWhoseProcessDiesWhileItsReaderWatchesIsAwaitedUntilItsTaskRestarts}). Without idleness, a live
 * deployment whose external feed publishes no watermarks would hold a merged input forever behind a producer task that
 * gets no records (a market partition no symbol hashes to). A replay sets no timeout: nothing is left out, and the
 * order depends on the data only.
 * <p>
 * Not thread-safe: a task uses it from its one processing pipeline.
 */
final class ProducerIdleness {

    /**
     * How many idle timeouts an expected producer task of a sub-topology that may hold records, that has published
     * neither a watermark nor a hold mark, is awaited, counted from when this reader first looked for it (other
     * producer tasks: one timeout, as they write no hold mark that would tell a running one from a missing one). Its task may not have started, or not committed yet
     * (a slow start, an instance still coming up): left out after one timeout, as before 2026-12-06, the other
     * producers' watermarks passed the records its first commit then wrote, a held one among them
     * ({@code ProducerIdlenessTest#anExpectedProducerThatHasShownNothingIsAwaitedLongerThanTheTimeout}). Still
     * bounded: a task that never runs would otherwise hold its input for good. A producer whose hold mark says it holds
     * records and stands still is awaited as long ({@link #holderRestartMs()}).
     */
    static final int NEVER_PUBLISHED_TIMEOUT_FACTOR = 10;

    /**
     * How many lease TTLs a holding producer task that stands still, or one that may hold and has shown nothing, is
     * awaited at least ({@link #holderRestartMs()}): its dead owner's lease expires within one, and the next owner
     * takes the task at its next rebalance, restores its state and writes its hold mark within another.
     */
    static final int LEASE_TTLS_TO_RESTART = 2;

    /** The hold mark of a producer task that holds nothing ({@link io.quantumtrader.streams.redis.StreamKeys#holdMarks}). */
    static final String NOT_HOLDING = "0";

    private final Duration timeout;
    private final LongSupplier nowMs;
    private final Predicate<String> writesHoldMarks;
    /** see {@link #holderRestartMs()}; 0 when {@link #timeout} is null */
    private final long holderRestartMs;
    /** producer → what was last seen of it and when it last changed (or was first looked for) */
    private final Map<String, Seen> seen = new HashMap<>();

    /** A producer's watermark and hold mark as last seen, and the wall-clock ms either last changed. */
    private static final class Seen {
        long watermark;
        /** null: the producer has written no hold mark */
        String mark;
        long changedMs;

        Seen(long watermark, String mark, long changedMs) {
            this.watermark = watermark;
            this.mark = mark;
            this.changedMs = changedMs;
        }
    }

    /** As {@link #ProducerIdleness(Duration, LongSupplier, Predicate)}, every producer task writing hold marks. */
    ProducerIdleness(Duration timeout, LongSupplier nowMs) {
        this(timeout, nowMs, producer -> true);
    }

    /**
     * @param timeout          null: never idle
     * @param nowMs            wall clock, epoch ms
     * @param writesHoldMarks  whether a producer task ({@code <application-id>:<sub-topology>_<partition>}) is of a
     *                         sub-topology that may hold records, whose tasks write a hold mark at the start of each
     *                         run: one that has published nothing is awaited for {@link #holderRestartMs()}; any
     *                         other for one timeout
     */
    ProducerIdleness(Duration timeout, LongSupplier nowMs, Predicate<String> writesHoldMarks) {
        this(timeout, nowMs, writesHoldMarks, Duration.ZERO);
    }

    /**
     * @param timeout          null: never idle
     * @param nowMs            wall clock, epoch ms
     * @param writesHoldMarks  see {@link #ProducerIdleness(Duration, LongSupplier, Predicate)}
     * @param leaseTtl         the task lease's TTL ({@link AssignmentConfig#leaseTtl()}): how long a dead instance's
     *                         task waits before another instance may run it ({@link #holderRestartMs()})
     */
    ProducerIdleness(Duration timeout, LongSupplier nowMs, Predicate<String> writesHoldMarks, Duration leaseTtl) {
        this.timeout = timeout;
        this.nowMs = nowMs;
        this.writesHoldMarks = writesHoldMarks;
        this.holderRestartMs = timeout == null ? 0
                : Math.max(timeout.toMillis() * NEVER_PUBLISHED_TIMEOUT_FACTOR, leaseTtl.toMillis() * LEASE_TTLS_TO_RESTART);
    }

    /**
     * @return how long (ms) a holding producer task whose hold mark stands still, or one that may hold records and has
     *         published neither a watermark nor a hold mark, is awaited before it is idle: the larger of
     *         {@link #NEVER_PUBLISHED_TIMEOUT_FACTOR} idle timeouts and {@link #LEASE_TTLS_TO_RESTART} lease TTLs
     *         (defaults: 50 s). Its task runs again on another instance only once its dead owner's lease expired;
     *         bounded, as a task that never runs again would otherwise hold its input for good
     */
    long holderRestartMs() {
        return holderRestartMs;
    }

    /**
     * What an input's watermark is computed from: its active producers' watermarks and the expected ones still awaited;
     * and the active producers that hold records back (their hold mark is not {@link #NOT_HOLDING}): while one of
     * them (of another sub-topology) does, the input is not idle either.
     */
    record Active(Map<String, String> producers, List<String> expected, Set<String> holding) {
    }

    /** As {@link #active(Map, Map, Collection)} with no hold marks. */
    Active active(Map<String, String> producers, Collection<String> expected) {
        return active(producers, Map.of(), expected);
    }

    /**
     * @param producers producer → watermark as read from the input's watermark hash
     * @param holdMarks producer task → hold mark as read from the input's hold-marks hash
     * @param expected  producer tasks the topology has for the input
     * @return the producers and expected producers that are not idle, and those of them that hold records
     */
    Active active(Map<String, String> producers, Map<String, String> holdMarks, Collection<String> expected) {
        if (timeout == null) {
            Set<String> holding = new LinkedHashSet<>();
            producers.keySet().forEach(p -> {
                if (holds(holdMarks.get(p))) {
                    holding.add(p);
                }
            });
            return new Active(producers, List.copyOf(expected), holding);
        }
        long now = nowMs.getAsLong();
        Map<String, String> active = new LinkedHashMap<>();
        Set<String> holding = new LinkedHashSet<>();
        producers.forEach((producer, value) -> {
            long v = parse(value);
            String mark = holdMarks.getOrDefault(producer, NOT_HOLDING);
            Seen s = seen.get(producer);
            if (s == null || s.watermark != v || !mark.equals(s.mark)) {
                // a move of the watermark, or of the hold mark: a holding producer's heartbeat
                if (s == null) {
                    seen.put(producer, new Seen(v, mark, now));
                } else {
                    s.watermark = v;
                    s.mark = mark;
                    s.changedMs = now;
                }
                active.put(producer, value);
            } else if (v == Long.MAX_VALUE || now - s.changedMs < idleAfterMs(s)) {
                // an ended producer stands still because nothing more comes: that is what its readers need to know.
                // Left out as idle, a task that took longer than the timeout to process its inputs after their end
                // saw no watermark at all and never passed its own end on (EndedProducerIdlenessTest, 2026-12-06)
                active.put(producer, value);
            }
            if (active.containsKey(producer) && holds(mark)) {
                holding.add(producer);
            }
        });
        List<String> awaited = expected.stream().filter(p -> {
            if (producers.containsKey(p)) {
                return active.containsKey(p);   // published: awaited while not idle
            }
            String mark = holdMarks.get(p);
            Seen s = seen.computeIfAbsent(p, x -> new Seen(Long.MIN_VALUE, mark, now));
            if (mark == null) {
                // no sign of it yet: a task that may hold records may not have started or committed; awaited for
                // the longer bound (a running one writes its mark within a punctuation interval)
                long bound = writesHoldMarks.test(p) ? holderRestartMs : timeout.toMillis();
                return now - s.changedMs < bound;
            }
            if (!mark.equals(s.mark)) {
                s.mark = mark;
                s.changedMs = now;
            }
            // a hold mark and no watermark yet: its task runs, as a published producer it is awaited while it moves
            boolean awaitedNow = now - s.changedMs < idleAfterMs(s);
            if (awaitedNow && holds(mark)) {
                holding.add(p);
            }
            return awaitedNow;
        }).toList();
        return new Active(active, awaited, holding);
    }

    /**
     * @return how long (ms) a producer may stand still before it is idle: one timeout; a producer whose hold mark says
     *         it holds records {@link #holderRestartMs()}: its mark stands still only when its task stopped (its
     *         heartbeat moves it at every punctuation while it runs), and the task's next run restores the held
     *         records
     */
    private long idleAfterMs(Seen s) {
        return holds(s.mark) ? holderRestartMs : timeout.toMillis();
    }

    private static boolean holds(String mark) {
        return mark != null && !NOT_HOLDING.equals(mark);
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE + 1;
        }
    }
}
