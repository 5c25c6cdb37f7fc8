package io.quantumtrader.streams.runtime;

/**
 * An input entry refused at its source (DESIGN §2 "Hostile input"); it goes to the dead-letter stream with
 * {@link #reason()} and is counted in the {@code ingest.rejected} meter under that reason.
 */
public final class RejectedEntryException extends RuntimeException {

    /** Why an entry was refused: the {@code reason} tag of the {@code ingest.rejected} meter. */
    public enum Reason {
        /** larger than {@link IngestLimits#maxEntryBytes()} */
        OVERSIZED,
        /** a CloudEvents attribute is missing or malformed */
        INVALID_ENVELOPE,
        /** the envelope {@code type} belongs to another stream */
        WRONG_TYPE,
        /** the envelope {@code type} is this stream's, in a version this build does not read */
        UNSUPPORTED_VERSION,
        /** the subject (key) is too long, blank, not valid UTF-8 or has control characters */
        BAD_SUBJECT,
        /** the subject hashes to another partition than the one the entry is on (a windowed subject {@code [key@start/end]}: and so does its key) */
        WRONG_PARTITION,
        /** {@code data} is JSON {@code null} */
        NULL_DATA,
        /** event time later than wall clock + {@link IngestLimits#maxEventTimeSkew()} */
        FUTURE_EVENT_TIME,
        /** {@code data} does not decode to the stream's value type, or is outside its domain */
        INVALID_VALUE,
        /**
         * the entry was deleted ({@code XDEL}, {@code MAXLEN}, {@code XTRIM}, retention) after its consumer group read it
         * and before it was processed: Redis returns a pending entry's id without fields, and its data is gone. The same
         * reason as the dead letters of the claim at a task's start ({@code claim-pending.lua}); a sign that the
         * stream's retention or {@code maxlen} is shorter than the group's lag
         */
        DELETED_BEFORE_PROCESSING;

        /** @return the meter tag, e.g. {@code future_event_time} */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    /** @param message one sentence naming what is wrong with the entry */
    public RejectedEntryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return why the entry was refused */
    public Reason reason() {
        return reason;
    }
}
