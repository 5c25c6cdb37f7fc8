package io.quantumtrader.streams.runtime;

import java.time.Duration;

/**
 * What a source accepts (DESIGN §2 "Hostile input"). An entry outside these limits is dead-lettered with its reason
 * and never moves stream time; an event id seen before within the dedupe window is acknowledged and skipped.
 *
 * @param maxEventTimeSkew how far an event time may be ahead of the wall clock, default 1 min: a record stamped later
 *                         would advance stream time and make every valid record after it late
 * @param maxEntryBytes    largest entry accepted, fields and values in UTF-8 bytes, default 64 KiB; the dead letter of
 *                         a larger one keeps only the first bytes of each field
 * @param maxSubjectLength longest subject (record key) accepted, in characters, default 128
 * @param dedupeWindow     how long an input event id is remembered (from the entry's arrival), default 1 h
 * @param dedupeMaxIds     most event ids remembered per task (the oldest are forgotten first), default 200,000, at
 *                         most {@link #MAX_DEDUPE_IDS}
 * @param maxStreamTimeLead how far past its arrival (the ms of its entry id, {@code StreamEntry.arrivalMillis}) a
 *                         record may move stream time, default 1 s (a producer's clock a little ahead of Redis's). A
 *                         record stamped further ahead is still aggregated into its own window, but moves stream time
 *                         (window close, stream-time punctuation, the published watermark) only to arrival + this
 *                         lead: it cannot close the windows of the records that arrive on time after it. Keep it below
 *                         the smallest grace of the topology's windows. A deliberate divergence from Kafka Streams,
 *                         which moves stream time to the largest timestamp seen (README, "Deliberate differences from Kafka Streams")
 * @throws IllegalArgumentException when a limit is out of range; the message names every limit
 */
public record IngestLimits(Duration maxEventTimeSkew, int maxEntryBytes, int maxSubjectLength, Duration dedupeWindow,
                           long dedupeMaxIds, Duration maxStreamTimeLead) {

    /**
     * Largest {@code dedupeMaxIds}: 2^28 = 268,435,456 ids per task. The task's in-memory dedupe cache grows its ring
     * of ids in powers of two up to the bound and its table to twice the ring, and a Java array ends below 2^31. Ids
     * of 36 characters would take ~30 GB of heap before that.
     */
    public static final long MAX_DEDUPE_IDS = 1L << 28;

    /**
     * Longest event id ({@code id}) accepted, characters: 256, seven times a UUID's 36. The dedupe window keeps every id
     * it remembers in memory and in Redis, and loads them all at a task's start: unbounded, 200,000 ids near the entry
     * limit would be 12 GB (review of 2026-12-06). A longer id is refused as an invalid envelope.
     */
    public static final int MAX_EVENT_ID_CHARS = 256;

    /**
     * Longest event {@code source} accepted, characters: 256, as {@link #MAX_EVENT_ID_CHARS}. The source is part of
     * the dedupe key (with the input stream and the id), so it is bounded for the same reason. A longer source is
     * refused as an invalid envelope.
     */
    public static final int MAX_EVENT_SOURCE_CHARS = 256;

    /**
     * Longest {@code traceid} and {@code idempotencykey} extension accepted, characters: 256 (a W3C
     * {@code traceparent} has 55). Every output of a record carries its trace id: unbounded, a tick whose trace filled
     * its entry was accepted at the source and its outputs dead-lettered at the sinks it was copied to, the market layer
     * having seen it and the portfolio not (found in review, 2026-12-08: {@code HugeTraceIdTest}). A longer one is
     * refused as an invalid envelope.
     */
    public static final int MAX_TRACE_ID_CHARS = 256;

    /**
     * The largest skew and stream-time lead (2^61 ms, about 73 million years): what {@link #withoutStreamTimeLead()} and
     * {@link #withoutEventTimeSkewCheck()} set; a larger one overflowed the ms arithmetic (found in review 2026-12-06).
     */
    public static final Duration UNBOUNDED = Duration.ofMillis(Long.MAX_VALUE / 4);

    public IngestLimits {
        if (maxEventTimeSkew.isNegative() || maxEntryBytes < 1024 || maxSubjectLength < 1 || dedupeWindow.isNegative()
                || dedupeMaxIds < 0 || dedupeMaxIds > MAX_DEDUPE_IDS || maxStreamTimeLead.isNegative()
                || maxEventTimeSkew.compareTo(UNBOUNDED) > 0 || maxStreamTimeLead.compareTo(UNBOUNDED) > 0) {
            throw new IllegalArgumentException("ingest limits out of range: skew " + maxEventTimeSkew + ", entry "
                    + maxEntryBytes + " bytes (at least 1024), subject " + maxSubjectLength + " chars, dedupe window "
                    + dedupeWindow + ", dedupe ids " + dedupeMaxIds + " (0 to " + MAX_DEDUPE_IDS + "), stream-time lead "
                    + maxStreamTimeLead + " (skew and lead from 0 to " + UNBOUNDED.toMillis() + " ms)");
        }
    }

    /** Default {@link #maxStreamTimeLead()}: 1 s, below the trading candles' 5 s grace. */
    public static final Duration DEFAULT_STREAM_TIME_LEAD = Duration.ofSeconds(1);

    /**
     * @return skew 1 min, entries up to 64 KiB, subjects up to 128 characters, dedupe 1 h / 200,000 ids, stream-time
     *         lead 1 s
     */
    public static IngestLimits defaults() {
        return new IngestLimits(Duration.ofMinutes(1), 64 * 1024, 128, Duration.ofHours(1), 200_000, DEFAULT_STREAM_TIME_LEAD);
    }

    /**
     * The time a record read from entry {@code entryId} moves stream time to: its event time, but no later than its
     * arrival plus {@link #maxStreamTimeLead()}. Replayed history (event times before arrival) is unaffected.
     *
     * @param eventTimeMs the record's event time, epoch ms
     * @param entryId     the Redis entry id the record was read from ({@code <ms>-<seq>})
     * @param nowMs       the wall clock, epoch ms (an entry id ahead of it counts as arriving now)
     * @return epoch ms
     */
    public long streamTimeOf(long eventTimeMs, String entryId, long nowMs) {
        long arrival = io.quantumtrader.streams.redis.StreamEntry.arrivalMillis(entryId, nowMs);
        long lead = maxStreamTimeLead.toMillis();
        long cap = arrival > Long.MAX_VALUE - lead ? Long.MAX_VALUE : arrival + lead;
        return Math.min(eventTimeMs, cap);
    }

    /**
     * The limit a consumer applies, applied to an output before it is written: an entry the consumer would refuse is
     * not written (the record is dead-lettered instead). The runtime and the test driver both check it.
     *
     * @param stream the output stream (for the message)
     * @param fields the entry's fields
     * @throws io.quantumtrader.streams.record.SerializationException when its names and values exceed
     *                                                                {@code maxEntryBytes} in UTF-8 ({@link #entryBytes})
     */
    /**
     * The subject rule of the sources ({@code bad_subject}): at most {@code maxSubjectLength} characters, not blank, valid
     * UTF-8, no control or format character, no unpaired UTF-16 surrogate (written as UTF-8 it would become {@code ?},
     * so two subjects would share one key in a state store's hash: found in review, 2026-12-05).
     *
     * @return what is wrong with {@code subject}, one sentence; null when a source accepts it
     */
    public String subjectProblem(String subject) {
        if (subject.length() > maxSubjectLength) {
            return "subject of " + subject.length() + " characters is longer than " + maxSubjectLength;
        }
        if (subject.isBlank()) {
            return "subject is blank";
        }
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (c == '\uFFFD') {
                return "subject is not valid UTF-8";
            }
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                return "subject has a control character at position " + i;
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < subject.length()
                    && Character.isLowSurrogate(subject.charAt(i + 1)))) {
                return "subject has an unpaired UTF-16 surrogate at position " + i;
            }
            if (Character.isHighSurrogate(c)) {
                i++;   // and its low surrogate: one character
            }
        }
        return null;
    }

    /**
     * The subject rule of the sources ({@link #subjectProblem}) applied to an output's key before it is written: a key
     * its readers would refuse is not written (the record is dead-lettered at the sink, naming the key's problem).
     * Until 2026-12-07 it was written and refused by the next source as {@code bad_subject}: a {@code groupBy} selector
     * giving {@code ""} lost its record to the dead letters of an internal repartition source (found in review).
     *
     * @param stream  the output stream (for the message)
     * @param subject the output's subject, or null (a keyless output)
     * @throws io.quantumtrader.streams.record.SerializationException naming the problem
     */
    public void checkOutputSubject(String stream, String subject) {
        String problem = subject == null ? null : subjectProblem(subject);
        if (problem != null) {
            throw new io.quantumtrader.streams.record.SerializationException("output for '" + stream + "': the key cannot "
                    + "be a subject (" + problem + "), its readers would refuse it", null);
        }
    }

    public void checkOutput(String stream, java.util.Map<String, String> fields) {
        long size = entryBytes(fields);
        if (size > maxEntryBytes) {
            throw new io.quantumtrader.streams.record.SerializationException("output entry for '" + stream + "' of "
                    + size + " bytes is larger than the limit of " + maxEntryBytes + " bytes", null);
        }
    }

    /**
     * @return the entry's names and values in UTF-8 bytes, as a consumer measures it against {@code maxEntryBytes}; the
     *         character count when even at 3 bytes a character it fits (exact enough: it fits either way)
     */
    public long entryBytes(java.util.Map<String, String> fields) {
        long chars = 0;
        for (java.util.Map.Entry<String, String> e : fields.entrySet()) {
            chars += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
        }
        if (chars * 3 <= maxEntryBytes) {
            return chars;
        }
        long bytes = 0;
        for (java.util.Map.Entry<String, String> e : fields.entrySet()) {
            bytes += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + (e.getValue() == null ? 0 : e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        return bytes;
    }

    /** @return a copy with another maximal event-time skew */
    public IngestLimits withMaxEventTimeSkew(Duration v) {
        return new IngestLimits(v, maxEntryBytes, maxSubjectLength, dedupeWindow, dedupeMaxIds, maxStreamTimeLead);
    }

    /**
     * {@link #streamTimeOf(long, String, long)} of a record as a task reads it: the runtime's {@code TaskContext} and
     * the {@code TopologyTestDriver} both cap stream time with this.
     *
     * @param nowMs the wall clock, epoch ms (the test driver's mocked one)
     * @return epoch ms: the record's event time, at most its entry's arrival + {@link #maxStreamTimeLead()}; its event
     *         time when it was not read from an entry (no {@link io.quantumtrader.streams.record.Record#origin()})
     */
    public long streamTimeOf(io.quantumtrader.streams.record.Record<?, ?> record, long nowMs) {
        return record.origin() == null ? record.timestamp() : streamTimeOf(record.timestamp(), record.origin().entryId(), nowMs);
    }

    /**
     * @return a copy whose records move stream time to their event time however far ahead of their arrival (Kafka
     *         Streams' rule; the test driver's default, whose event times ignore its mocked wall clock)
     */
    public IngestLimits withoutStreamTimeLead() {
        return withMaxStreamTimeLead(UNBOUNDED);
    }

    /** @return a copy that accepts any event time (the test driver's default: test event times ignore its clock) */
    public IngestLimits withoutEventTimeSkewCheck() {
        return withMaxEventTimeSkew(UNBOUNDED);
    }

    /** @return a copy with another entry size limit, bytes */
    public IngestLimits withMaxEntryBytes(int v) {
        return new IngestLimits(maxEventTimeSkew, v, maxSubjectLength, dedupeWindow, dedupeMaxIds, maxStreamTimeLead);
    }

    /** @return a copy with another dedupe window and id bound */
    public IngestLimits withDedupe(Duration window, long maxIds) {
        return new IngestLimits(maxEventTimeSkew, maxEntryBytes, maxSubjectLength, window, maxIds, maxStreamTimeLead);
    }

    /** @return a copy with another {@link #maxStreamTimeLead()} */
    public IngestLimits withMaxStreamTimeLead(Duration v) {
        return new IngestLimits(maxEventTimeSkew, maxEntryBytes, maxSubjectLength, dedupeWindow, dedupeMaxIds, v);
    }
}
