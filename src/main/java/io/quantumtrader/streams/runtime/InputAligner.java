package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.EventTimes;
import io.quantumtrader.streams.redis.StreamEntry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Orders the records of a task's input streams by event time (Kafka Streams' timestamp-synchronized reading, with
 * watermarks as in DESIGN §2 "Event time across inputs"). Entries are {@link #offer offered} as they are read and
 * {@link #release released} when processable: the buffered head with the smallest event time goes first (ties: the
 * input declared first in the sub-topology, then arrival order), and only once every other input has a buffered
 * record, a watermark ≥ its time (> its time for an input declared before it, which would win a tie), or has been
 * idle past the timeout. Nothing is dropped: a held entry stays
 * buffered (and pending in its consumer group) until released. An entry without a readable event time, or with one
 * further ahead of the wall clock than the ingest guard allows, goes first (the guard dead-letters it; it never moves
 * stream time).
 * <p>
 * Not thread-safe: a task uses it from its one processing pipeline.
 */
public final class InputAligner {

    /** Watermark of an input with no known producer: not reached. */
    public static final long NONE = Long.MIN_VALUE;

    /** {@link #heldBytes(String)}: estimated heap bytes of a field beside its characters (two String objects, arrays, map node). */
    public static final int BYTES_PER_FIELD = 120;
    /** {@link #heldBytes(String)}: estimated heap bytes of an entry beside its fields (entry, map, id, queue node). */
    public static final int BYTES_PER_ENTRY = 200;

    private final Map<String, Input> inputs = new LinkedHashMap<>();
    private final Duration idleTimeout;
    private final LongSupplier nowMs;
    private final long maxAheadMs;
    private final IngestLimits streamTimeLimits;
    private final LongSupplier wallClockMs;
    private long held;
    private long sequence;

    /**
     * @param streams     the task's input streams in their stable tie order (the sub-topology's source order)
     * @param idleTimeout see {@link InputAlignment#idleTimeout()}; null for never
     * @param nowMs       wall clock, epoch ms (a virtual clock in tests)
     */
    public InputAligner(Collection<String> streams, Duration idleTimeout, LongSupplier nowMs) {
        this(streams, java.util.Set.of(), idleTimeout, nowMs);
    }

    /**
     * @param merged inputs written by several producer tasks (a repartition stream fed by every task of another
     *               sub-topology): their entries arrive in the order the producers' commits happened to interleave, so
     *               they are re-ordered here by (event time, subject) and released only once the input's own watermark
     *               (the smallest of all its producers') has passed their time
     */
    public InputAligner(Collection<String> streams, java.util.Set<String> merged, Duration idleTimeout, LongSupplier nowMs) {
        this(streams, merged, idleTimeout, nowMs, Long.MAX_VALUE);
    }

    /**
     * @param maxAheadMs how far an event time may be ahead of the wall clock, ms: the ingest guard's
     *                   {@link IngestLimits#maxEventTimeSkew()}. An entry stamped later is passed on as one without a
     *                   readable time (the guard dead-letters it). Held by its time instead, a record stamped in 2099
     *                   held every valid entry behind it in its input until another input passed 2099 (review of
     *                   2026-12-06, HostileEntryTest)
     */
    public InputAligner(Collection<String> streams, java.util.Set<String> merged, Duration idleTimeout, LongSupplier nowMs,
                        long maxAheadMs) {
        this(streams, merged, idleTimeout, nowMs, maxAheadMs, null);
    }

    /**
     * @param streamTimeLimits when not null, an entry is ordered and held by the time it moves stream time to
     *                         ({@link IngestLimits#streamTimeOf}: its event time, at most its arrival + the stream-time
     *                         lead), so a record stamped ahead of its arrival does not hold the on-time entries read
     *                         after it on its input until another input passes its time (2026-12-06); null: by event
     *                         time
     */
    public InputAligner(Collection<String> streams, java.util.Set<String> merged, Duration idleTimeout, LongSupplier nowMs,
                        long maxAheadMs, IngestLimits streamTimeLimits) {
        this(streams, merged, idleTimeout, nowMs, maxAheadMs, streamTimeLimits, System::currentTimeMillis);
    }

    /**
     * @param wallClockMs the wall clock an entry's arrival is capped by for {@code streamTimeLimits}, epoch ms (as
     *                    {@code TaskContext.wallClockTime()} reads it: the system clock in the runtime, the mocked one
     *                    in the test driver)
     */
    public InputAligner(Collection<String> streams, java.util.Set<String> merged, Duration idleTimeout, LongSupplier nowMs,
                        long maxAheadMs, IngestLimits streamTimeLimits, LongSupplier wallClockMs) {
        this.streamTimeLimits = streamTimeLimits;
        this.wallClockMs = wallClockMs;
        this.maxAheadMs = maxAheadMs;
        this.idleTimeout = idleTimeout;
        this.nowMs = nowMs;
        long now = nowMs.getAsLong();
        for (String s : streams) {
            inputs.put(s, new Input(now, merged.contains(s)));
        }
    }

    /** @return true when there is something to align (two inputs or more) */
    public boolean aligning() {
        return inputs.size() > 1 || inputs.values().stream().anyMatch(in -> in.merged);
    }

    /** @return the input streams, in tie order */
    public List<String> streams() {
        return List.copyOf(inputs.keySet());
    }

    /** @return entries buffered and not yet released */
    public long held() {
        return held;
    }

    /** @return entries of {@code stream} buffered and not yet released (0 for a stream this aligner does not know) */
    public int held(String stream) {
        Input in = inputs.get(stream);
        return in == null ? 0 : in.queue.size();
    }

    /**
     * @return estimated heap bytes of the entries of {@code stream} buffered and not yet released (0 for a stream this
     *         aligner does not know): see {@link #estimatedBytes}
     */
    public long heldBytes(String stream) {
        Input in = inputs.get(stream);
        return in == null ? 0 : in.heldBytes;
    }

    /**
     * @return an estimate of the heap an entry takes while held, bytes: its id, field names and values at two bytes per
     *         character (a bound: Latin-1 strings take one), {@link #BYTES_PER_FIELD} per field and
     *         {@link #BYTES_PER_ENTRY} per entry
     */
    public static long estimatedBytes(StreamEntry e) {
        long bytes = BYTES_PER_ENTRY + 2L * e.id().length();
        for (Map.Entry<String, String> f : e.fields().entrySet()) {
            String v = f.getValue();
            bytes += BYTES_PER_FIELD + 2L * (f.getKey().length() + (v == null ? 0 : v.length()));
        }
        return bytes;
    }

    /** @return the watermark applied to {@code stream} (epoch ms), {@link #NONE} when none (or unknown stream) */
    public long watermarkOf(String stream) {
        Input in = inputs.get(stream);
        return in == null ? NONE : in.watermark;
    }

    /**
     * @return true when reading more of {@code stream} may let this aligner release entries it holds now: the input is
     *         merged (its own watermark must pass its entries' times, and other inputs wait for it whatever it holds)
     *         and a watermark was read for it that applies only once entries not yet offered are
     *         ({@link #watermark(String, long, String)}). Reads of such an input must not be paused for what it holds
     *         ({@link InputAlignment#maxHeldPerInput()}): its held entries would wait for its watermark, and its
     *         watermark for its reads. An input that is not merged holds no entry back by what it has not read yet
     *         (it holds records, so it does not hold up the others, and its own records wait for the others only).
     */
    public boolean releaseNeedsReadsOf(String stream) {
        Input in = inputs.get(stream);
        if (in == null || !in.merged || in.candidates.stream().noneMatch(c -> !in.covers(c))) {
            return false;
        }
        // only while the next record waits for this input: one waiting for another input is released by that input's
        // records or watermark, and reading this one on meanwhile held its whole backlog (found in review, 2026-12-07:
        // a task held all 20,001 records of a merged input waiting for another one). Once the other input lets it
        // pass, this one becomes what the next record waits for, and its reads resume
        Input next = head();
        if (next == null) {
            return true;
        }
        inputs.values().forEach(Input::applyCandidates);
        Input waitsFor = blocker(next, nowMs.getAsLong());
        return waitsFor == null || waitsFor == in;
    }

    /**
     * Tells that the task stopped (or resumed) reading {@code stream} ({@link InputAlignment#maxHeldPerInput()}): an
     * input whose reads are paused is idle ({@link InputAlignment#idleTimeout()}) only once it was read up to its
     * partition's last entry as of the latest watermark read; with entries left unread it is not, as it would not be
     * if it were read.
     */
    public void readsPaused(String stream, boolean paused) {
        Input in = inputs.get(stream);
        if (in != null) {
            in.readsPaused = paused;
            if (!paused) {
                in.lastArrivalMs = nowMs.getAsLong();
            }
        }
    }

    /**
     * Tells whether a producer task of {@code stream} (of another sub-topology) holds records back as the latest
     * watermark read found it (its hold mark, {@code ProducerIdleness}): while one does, the input is not idle
     * ({@link InputAlignment#idleTimeout()}) however long nothing arrives, as a record older than its watermark's
     * successors is still to come from it. Before (review of 2026-12-06) such an input went idle after the timeout
     * and the task released the other inputs' records, and its own held ones, past the record still held upstream
     * ({@code HoldingProducerIdlenessTest}).
     */
    public void producersHolding(String stream, boolean holding) {
        Input in = inputs.get(stream);
        if (in != null) {
            in.producersHolding = holding;
        }
    }

    /** @return the smallest event time of the entries held (epoch ms); {@link Long#MAX_VALUE} when none is held */
    public long minHeldTime() {
        long min = Long.MAX_VALUE;
        for (Input in : inputs.values()) {
            for (Timed t : in.queue) {
                min = Math.min(min, t.time);
            }
        }
        return min;
    }

    /** Buffers entries read from the task's inputs (each stream's entries in read order). */
    public void offer(List<StreamEntry> entries) {
        long now = nowMs.getAsLong();
        for (StreamEntry e : entries) {
            Input in = inputs.get(e.stream());
            if (in == null) {
                in = new Input(now, false);
                inputs.put(e.stream(), in);
            }
            long time = eventTime(e);
            if (time > now && time - now > maxAheadMs) {
                time = NONE;   // the guard refuses it (future_event_time): never held by a time it will not have
            } else if (time != NONE && streamTimeLimits != null) {
                // at most its arrival + lead; an id ahead of the wall clock (as TaskContext reads it, whatever
                // clock this aligner's idleness runs on) arrives now
                time = streamTimeLimits.streamTimeOf(time, e.id(), wallClockMs.getAsLong());
            }
            long bytes = estimatedBytes(e);
            in.queue.add(new Timed(e, time, e.fields().getOrDefault("subject", ""), sequence++, bytes));
            in.heldBytes += bytes;
            in.lastArrivalMs = now;
            if (in.lastId == null || StreamEntry.compareIds(e.id(), in.lastId) > 0) {
                in.lastId = e.id();
            }
            if (in.resumeGate != null && StreamEntry.compareIds(e.id(), in.resumeGate) >= 0) {
                in.resumeGate = null;
                in.resume();
            }
            held++;
        }
    }

    /**
     * Where a run resumes {@code stream} (from the task's claim at its start): every entry up to {@code deliveredId}
     * was handed on by an earlier run (processed and acknowledged: it is never read again) or is pending and is read
     * again before any newer entry, up to {@code newestPending}. From the moment this aligner has been offered
     * {@code newestPending} (at once when it is null) it counts the stream as handed on up to {@code deliveredId}, so a
     * watermark that covers an entry acknowledged before the restart applies without waiting for that entry.
     *
     * @param deliveredId   the consumer group's last-delivered-id ({@code 0-0} when it has read nothing)
     * @param newestPending the group's newest pending entry, or {@code null} when nothing is pending
     */
    public void resume(String stream, String deliveredId, String newestPending) {
        Input in = inputs.get(stream);
        if (in == null || deliveredId == null || "0-0".equals(deliveredId)) {
            return;
        }
        in.resumeId = deliveredId;
        if (newestPending == null || (in.lastId != null && StreamEntry.compareIds(in.lastId, newestPending) >= 0)) {
            in.resume();
        } else {
            in.resumeGate = newestPending;
        }
    }

    /**
     * @return the id up to which {@code stream} was handed on before this run ({@link #resume}), once every entry
     *         pending at the start was offered again; null before that, or when nothing was
     */
    public String resumedFrom(String stream) {
        Input in = inputs.get(stream);
        return in == null || in.resumeGate != null ? null : in.resumeId;
    }

    /**
     * Sets an input's watermark: the smallest of its known producers' watermarks ({@link #NONE} when it has none).
     * A watermark never moves back.
     */
    public void watermark(String stream, long watermarkMs) {
        watermark(stream, watermarkMs, "0-0");
    }

    /**
     * Records an input's watermark read when its partition's last entry was {@code lastEntryId}: it applies once
     * this aligner has been offered that entry (entries older than the watermark may still be unread before it).
     */
    public void watermark(String stream, long watermarkMs, String lastEntryId) {
        Input in = inputs.get(stream);
        if (in == null) {
            return;
        }
        if (watermarkMs != NONE) {
            in.fedBackOnly = false;
        }
        if (lastEntryId != null && (in.partitionLastId == null || StreamEntry.compareIds(lastEntryId, in.partitionLastId) > 0)) {
            in.partitionLastId = lastEntryId;
        }
        if (watermarkMs <= in.watermark) {
            return;
        }
        in.candidates.removeIf(c -> c.watermark <= watermarkMs && StreamEntry.compareIds(c.lastId, lastEntryId) >= 0);
        in.candidates.add(new Candidate(watermarkMs, lastEntryId));
        in.applyCandidates();
        if (in.candidates.size() > MAX_CANDIDATES) {
            thin(in.candidates);
        }
    }

    /**
     * Watermark reads kept per input until the entries they cover are offered ({@link #watermark(String, long,
     * String)}). An input the task does not read for now (paused, {@link InputAlignment#maxHeldPerInput()}) while its
     * producer keeps writing gets one more per read, none of which applies: until 2026-12-07 they were kept without a
     * bound, each read scanning them all (found in review). Beyond this many, every other one is dropped ({@link #thin}).
     */
    static final int MAX_CANDIDATES = 64;

    /**
     * Drops every other watermark read, keeping the first (the one that applies soonest) and the last (the newest,
     * which applies once everything read so far is offered). Safe for order: a dropped read only lets the watermark
     * pass a little later, when a kept later one applies; never earlier than the entries it covers.
     */
    private static void thin(List<Candidate> candidates) {
        Candidate last = candidates.get(candidates.size() - 1);
        List<Candidate> kept = new ArrayList<>(candidates.size() / 2 + 1);
        for (int i = 0; i < candidates.size() - 1; i += 2) {
            kept.add(candidates.get(i));
        }
        kept.add(last);
        candidates.clear();
        candidates.addAll(kept);
    }

    /** @return the watermark reads of {@code stream} not applied yet (tests: they stay bounded) */
    int pendingWatermarkReads(String stream) {
        Input in = inputs.get(stream);
        return in == null ? 0 : in.candidates.size();
    }

    /** @return the smallest of the producers' watermarks (hash values, epoch ms), or {@link #NONE} for none */
    public static long minWatermark(Collection<?> producerWatermarks) {
        long min = Long.MAX_VALUE;
        for (Object v : producerWatermarks) {
            try {
                min = Math.min(min, Long.parseLong(String.valueOf(v)));
            } catch (NumberFormatException e) {
                return NONE;
            }
        }
        return producerWatermarks.isEmpty() ? NONE : min;
    }

    /**
     * The watermark of one input from its producers' watermarks, leaving out the producers of the reading task's own
     * sub-topology: their records are its own outputs fed back (a cycle), which cannot be aligned ahead of the records
     * that cause them; they are processed in arrival order.
     *
     * @param producers producer → watermark (epoch ms) as read from the input's watermark hash
     * @param ownPrefix the reading task's sub-topology as a producer: {@code <application-id>:<sub-topology>_}
     * @return the smallest watermark of the other producers; {@link #NONE} when there is none (for an input the
     *         sub-topology also writes, see {@link #fedBackOnly})
     */
    public static long inputWatermark(Map<String, String> producers, String ownPrefix) {
        List<String> others = new ArrayList<>();
        producers.forEach((producer, watermark) -> {
            if (!producer.startsWith(ownPrefix)) {
                others.add(watermark);
            }
        });
        return others.isEmpty() ? NONE : minWatermark(others);
    }

    /**
     * As {@link #inputWatermark(Map, String)}, also waiting for the producers the topology says the input has: while
     * one of {@code expected} has published no watermark, the input's watermark is {@link #NONE} (that producer may
     * still write records older than the others' watermarks).
     *
     * @param expected producer tasks of the input known from the topology ({@code <application-id>:<sub-topology>_<p>})
     */
    public static long inputWatermark(Map<String, String> producers, String ownPrefix, Collection<String> expected) {
        for (String p : expected) {
            if (!producers.containsKey(p)) {
                return NONE;
            }
        }
        return inputWatermark(producers, ownPrefix);
    }

    /**
     * Marks an input the task's own sub-topology writes and no other producer has published a watermark for: it is
     * not waited for (its records are processed as they arrive), until another producer publishes one.
     */
    public void fedBackOnly(String stream) {
        Input in = inputs.get(stream);
        if (in != null) {
            in.fedBackOnly = true;
        }
    }

    /**
     * @return the entries processable now, in processing order (empty when the next one must wait). The next entry is
     *         the buffered one with the smallest event time (ties: the input declared first); it waits while another
     *         input may still deliver an earlier record — an empty input whose watermark has not reached its time, a
     *         merged input whose watermark has not reached it whatever it holds; for an input declared before it, one
     *         whose watermark has not passed it, as a record of that input at the same time would win the tie —
     *         unless that input is fed back only or idle. A merged input's own
     *         watermark must have passed the entry's time too (another producer may still write an earlier record or
     *         one of the same millisecond with a smaller subject).
     */
    public List<StreamEntry> release() {
        List<StreamEntry> out = new ArrayList<>();
        long now = nowMs.getAsLong();
        inputs.values().forEach(Input::applyCandidates);
        while (true) {
            Input next = head();
            if (next == null) {
                break;
            }
            if (blocker(next, now) != null) {
                break;
            }
            Timed released = next.queue.poll();
            next.heldBytes -= released.bytes;
            out.add(released.entry);
            held--;
        }
        return out;
    }

    /** @return the input whose buffered head has the smallest event time (the next to release), null when none holds any */
    private Input head() {
        Input next = null;
        for (Input in : inputs.values()) {
            if (!in.queue.isEmpty() && (next == null || in.queue.peek().time < next.queue.peek().time)) {
                next = in;
            }
        }
        return next;
    }

    /**
     * @return null when the head of {@code next} may be released now, else the input it waits for: {@code next} itself
     *         (a merged input whose own watermark has not passed it), or the first other input that may still deliver an
     *         earlier record (see {@link #release()})
     */
    private Input blocker(Input next, long now) {
        long t = next.queue.peek().time;
        if (next.merged && t != NONE && next.watermark <= t && !idle(next, now)) {
            return next;
        }
        boolean before = true;   // other inputs declared before next
        for (Input other : inputs.values()) {
            if (other == next) {
                before = false;
                continue;
            }
            if (other.fedBackOnly || idle(other, now) || t == NONE) {
                continue;
            }
            // a watermark at t says nothing earlier will come, not nothing of t: an input declared before next
            // (it wins the tie) must have passed t; before 2026-12-06 one that was not merged only had to reach
            // it, and its record of t read after next's came second (TieAtTheWatermarkTest)
            boolean behind = before ? other.watermark <= t : other.watermark < t;
            if (other.merged) {
                // a merged input's buffered records prove nothing about its slower producers
                if (behind) {
                    return other;
                }
            } else if (other.queue.isEmpty() && behind) {
                return other;
            }
        }
        return null;
    }

    /** @return the event time of an entry (epoch ms), or {@link #NONE} when it has none readable */
    public static long eventTime(StreamEntry e) {
        String time = e.fields().get("time");
        if (time == null) {
            return NONE;
        }
        try {
            return EventTimes.parse(time).toEpochMilli();
        } catch (RuntimeException ex) {
            return NONE;
        }
    }

    /**
     * An input is idle when nothing arrived for the idle timeout, unless a producer of it holds records back
     * ({@link #producersHolding}), nor while the latest watermark read found entries in its partition that were not
     * offered yet: they have arrived in Redis, the task has not read them yet (a holding producer's release is such an
     * entry, and the idleness of the read before it let the other inputs' records pass it: review of 2026-12-06,
     * {@code HoldingProducerIdlenessTest}). One whose reads are paused is idle only once it was
     * read up to its partition's last entry as of the latest watermark read: with entries left unread it would look
     * idle for no arrival while it is merely not read; with none left it is as idle as a read input (found in review,
     * 2026-12-06: a paused merged input whose held records waited for its idleness held them for good).
     */
    private boolean idle(Input in, long now) {
        return idleTimeout != null && !in.producersHolding
                && (in.readsPaused ? in.readUpToLastMark() : in.partitionLastId == null || in.readUpToLastMark())
                && now - in.lastArrivalMs >= idleTimeout.toMillis();
    }

    private record Timed(StreamEntry entry, long time, String subject, long sequence, long bytes) {
        /** A merged input's order: event time, then subject, then arrival (one producer's records of a key keep theirs). */
        static final java.util.Comparator<Timed> MERGED_ORDER = java.util.Comparator.comparingLong(Timed::time)
                .thenComparing(Timed::subject).thenComparingLong(Timed::sequence);
    }

    private record Candidate(long watermark, String lastId) {
    }

    private static final class Input {
        final boolean merged;
        final java.util.Queue<Timed> queue;
        /** {@link #estimatedBytes} of the entries in {@link #queue}. */
        long heldBytes;
        long watermark = NONE;
        long lastArrivalMs;
        /** The task does not read this input for now ({@link #readsPaused}): not idle. */
        boolean readsPaused;
        /** A producer task of this input holds records back ({@link #producersHolding}): not idle. */
        boolean producersHolding;
        /** Written by the task's own sub-topology only (so far): not waited for. */
        boolean fedBackOnly;
        /** Largest entry id offered so far (null: none). */
        String lastId;
        /** The partition's last entry id at the latest watermark read ("0-0": empty; null: none read yet). */
        String partitionLastId;
        /** {@link #resume}: handed on up to this id before the run; applied once {@link #resumeGate} is null. */
        String resumeId;
        /** The newest entry pending at the run's start, until it has been offered again. */
        String resumeGate;
        /** Watermarks read before this input was read up to the entry they cover. */
        final List<Candidate> candidates = new ArrayList<>();

        void resume() {
            if (lastId == null || StreamEntry.compareIds(resumeId, lastId) > 0) {
                lastId = resumeId;
            }
            applyCandidates();
        }

        void applyCandidates() {
            candidates.removeIf(c -> {
                boolean covered = covers(c);
                if (covered && c.watermark > watermark) {
                    watermark = c.watermark;
                }
                return covered;
            });
        }

        /** @return true when every entry the partition held at the latest watermark read was offered */
        boolean readUpToLastMark() {
            return partitionLastId != null && ("0-0".equals(partitionLastId)
                    || (lastId != null && StreamEntry.compareIds(lastId, partitionLastId) >= 0));
        }

        /** @return true once the entries the watermark read {@code c} covers were offered */
        boolean covers(Candidate c) {
            return "0-0".equals(c.lastId) || (lastId != null && StreamEntry.compareIds(lastId, c.lastId) >= 0);
        }

        Input(long now, boolean merged) {
            this.lastArrivalMs = now;
            this.merged = merged;
            this.queue = merged ? new java.util.PriorityQueue<>(Timed.MERGED_ORDER) : new ArrayDeque<>();
        }
    }
}
