package io.quantumtrader.streams.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * WARN lines for input entries refused at their source (DESIGN §2 "Hostile input"), per stream and reason, rate
 * limited: the first refusal of a stream and reason is logged at once; later ones at most once per {@code interval},
 * in one line with the number refused since the previous line. Refusals were dead-lettered and counted in
 * {@code qt.streams.ingest.rejected} but never logged (found in review, 2026-12-06): nothing in the log said a producer
 * was sending entries that were not processed. The meter counts every refusal; refusals after a line are logged in
 * one line when the interval since it ends, whether or not another refusal comes (a task scheduled on Reactor's parallel
 * scheduler; before 2026-12-06 they waited for the next refusal, which might never come), and at {@link #close()}.
 * Times are read from Reactor's parallel scheduler clock (epoch ms; virtual under {@code VirtualTimeScheduler}); one
 * instance per runtime, shared by its tasks.
 */
final class IngestRefusalLog {

    /** Default least time between two lines of one stream and reason. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(IngestRefusalLog.class);

    /**
     * One stream and reason: when its last line was written (epoch ms), how many refusals came since, and the task
     * that logs them when the interval ends (null when none is scheduled).
     */
    private record Window(long loggedAtMillis, long unlogged, Disposable flush) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final long intervalMillis;

    IngestRefusalLog() {
        this(INTERVAL);
    }

    /** @param interval least time between two lines of one stream and reason */
    IngestRefusalLog(Duration interval) {
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Records refusals that a commit made (dead letters written) and logs them if it is time.
     *
     * @param stream the source stream, e.g. {@code ticks}
     * @param reason the refusal's meter tag, e.g. {@code future_event_time} ({@link RejectedEntryException.Reason#tag()})
     * @param count  entries refused
     */
    void refused(String stream, String reason, long count) {
        if (count <= 0) {
            return;
        }
        long now = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
        windows.compute(stream + "|" + reason, (key, w) -> {
            if (w == null) {
                log.warn("{} input {} of stream '{}' refused ({}) and sent to {}.dlq, whose error.message says why: {}. "
                                + "Refusals of this stream and reason are logged at most once per {} s "
                                + "(all counted in qt.streams.ingest.rejected)", count, entries(count), stream, reason,
                        stream, whatToDo(reason), intervalMillis / 1000);
                return new Window(now, 0, null);
            }
            long unlogged = w.unlogged() + count;
            if (now - w.loggedAtMillis() < intervalMillis) {
                // the delay is > 0: the task never runs inside this compute (it computes the same key)
                Disposable flush = w.flush() != null ? w.flush() : Schedulers.parallel().schedule(() -> flush(key),
                        w.loggedAtMillis() + intervalMillis - now, TimeUnit.MILLISECONDS);
                return new Window(w.loggedAtMillis(), unlogged, flush);
            }
            if (w.flush() != null) {
                w.flush().dispose();
            }
            logMore(key, unlogged, now - w.loggedAtMillis());
            return new Window(now, 0, null);
        });
    }

    /** Logs the refusals of {@code key} not logged yet, when its interval has ended (the scheduled task). */
    private void flush(String key) {
        long now = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
        windows.computeIfPresent(key, (k, w) -> {
            if (w.unlogged() == 0) {
                return new Window(w.loggedAtMillis(), 0, null);
            }
            logMore(k, w.unlogged(), now - w.loggedAtMillis());
            return new Window(now, 0, null);
        });
    }

    /**
     * Logs every refusal not logged yet at once and cancels the scheduled lines (the runtime's close: nothing stays
     * scheduled). Refusals after it are logged as before.
     */
    void close() {
        long now = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
        windows.replaceAll((key, w) -> {
            if (w.flush() != null) {
                w.flush().dispose();
            }
            if (w.unlogged() == 0) {
                return new Window(w.loggedAtMillis(), 0, null);
            }
            logMore(key, w.unlogged(), now - w.loggedAtMillis());
            return new Window(now, 0, null);
        });
    }

    /** @return lines scheduled and not yet written (tests: none after {@link #close()}) */
    int scheduledFlushes() {
        return (int) windows.values().stream().filter(w -> w.flush() != null && !w.flush().isDisposed()).count();
    }

    private void logMore(String key, long unlogged, long sinceMillis) {
        int bar = key.lastIndexOf('|');
        String stream = key.substring(0, bar);
        log.warn("{} more input {} of stream '{}' refused ({}) in the last {} s, sent to {}.dlq", unlogged,
                entries(unlogged), stream, key.substring(bar + 1), sinceMillis / 1000, stream);
    }

    /** @return what an operator does about refusals for {@code reason} (a meter tag) */
    static String whatToDo(String reason) {
        return RejectedEntryException.Reason.DELETED_BEFORE_PROCESSING.tag().equals(reason)
                ? "give the stream a retention or maxlen longer than the consumer group's lag (the entries were deleted "
                        + "before they were processed)"
                : "fix the producer";
    }

    private static String entries(long n) {
        return n == 1 ? "entry" : "entries";
    }
}
