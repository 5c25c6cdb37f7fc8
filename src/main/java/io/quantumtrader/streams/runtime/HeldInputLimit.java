package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.PartitionReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the records an {@link InputAligner} holds per input, as Kafka Streams bounds a task's partition buffers with
 * {@code buffered.records.per.partition}: once the aligner holds {@link InputAlignment#maxHeldPerInput()} records of
 * an input, or {@link InputAlignment#maxHeldBytesPerInput()} bytes of them (estimated), the task's reader stops reading that input ({@link PartitionReader#pause}) and goes on reading the others
 * (their records and watermarks are what lets the held records go); once the aligner holds fewer, reads of it resume.
 * Entries not read stay in the stream, unread by the consumer group (not pending). Each pause is logged once, naming
 * the input and what its records wait for: at WARN when that is an input without records and without any watermark
 * (likely a producer that publishes none: it would hold them for good), else at INFO.
 * <p>
 * One per run of a task (its reader and aligner are the run's). {@link #update} is called from the task's processing
 * pipeline, one step at a time; {@link #paused} may be read from any thread (a gauge).
 */
final class HeldInputLimit {

    private static final Logger log = LoggerFactory.getLogger(HeldInputLimit.class);

    private final String taskId;
    private final Map<String, String> streamByKey;
    private final int maxHeld;
    private final long maxHeldBytes;
    private final PartitionReader reader;
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    /** When each input's pause was last logged (wall clock ms): at most one line per input per minute. */
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private static final long LOG_INTERVAL_MS = 60_000;

    /**
     * @param taskId      the task, for the log
     * @param streamByKey the task's input partition keys → logical stream names
     * @param maxHeld     records held per input before its reads pause ({@link InputAlignment#maxHeldPerInput()})
     * @param maxHeldBytes estimated bytes held per input before its reads pause
     *                    ({@link InputAlignment#maxHeldBytesPerInput()})
     * @param reader      the run's reader
     */
    HeldInputLimit(String taskId, Map<String, String> streamByKey, int maxHeld, long maxHeldBytes, PartitionReader reader) {
        this.taskId = taskId;
        this.streamByKey = Map.copyOf(streamByKey);
        this.maxHeld = maxHeld;
        this.maxHeldBytes = maxHeldBytes;
        this.reader = reader;
    }

    /**
     * Pauses the reads of each input the aligner holds {@code maxHeld} records or {@code maxHeldBytes} bytes of, and
     * resumes the others.
     */
    void update(InputAligner align) {
        streamByKey.forEach((key, stream) -> {
            int held = align.held(stream);
            long heldBytes = align.heldBytes(stream);
            if ((held >= maxHeld || heldBytes >= maxHeldBytes) && !align.releaseNeedsReadsOf(stream)) {
                if (reader.pause(key)) {
                    paused.add(stream);
                    align.readsPaused(stream, true);
                    long now = System.currentTimeMillis();
                    Long last = lastLogged.get(stream);
                    if (last != null && now - last < LOG_INTERVAL_MS) {
                        return;   // an input at the bound pauses and resumes about once per batch: one line a minute
                    }
                    lastLogged.put(stream, now);
                    boolean noWatermark = waitsForNoWatermark(align, stream);
                    String line = "task {}: reads of input {} paused: event-time alignment holds {} of its records, ~{} bytes "
                            + "(limits {} records, maxHeldPerInput, and {} bytes, maxHeldBytesPerInput), waiting for {}; its "
                            + "entries stay in Redis unread and are read once the held records are processed" + (noWatermark ? ". An input without records and without a watermark "
                            + "holds them: does its producer publish watermarks (EventPublisher.sendAll(..., true)), or "
                            + "should alignment have an idle timeout?" : "");
                    Object[] args = {taskId, stream, held, heldBytes, maxHeld, maxHeldBytes, waitingFor(align, stream)};
                    if (noWatermark) {
                        log.warn(line, args);   // likely for good: WARN, the default level, shows it
                    } else {
                        log.info(line, args);   // backpressure while the inputs are far apart
                    }
                }
            } else if (reader.resume(key)) {
                paused.remove(stream);
                align.readsPaused(stream, false);
                log.debug("task {}: reads of input {} resumed ({} of its records held)", taskId, stream, held);
            }
        });
    }

    /** @return the logical input streams whose reads are paused now */
    Set<String> paused() {
        return Set.copyOf(paused);
    }

    /** @return true while reads of {@code stream} are paused */
    boolean paused(String stream) {
        return paused.contains(stream);
    }

    /** @return true when another input with nothing held has no watermark at all (none of its producers published one) */
    private static boolean waitsForNoWatermark(InputAligner align, String stream) {
        for (String other : align.streams()) {
            if (!other.equals(stream) && align.held(other) == 0 && align.watermarkOf(other) == InputAligner.NONE) {
                return true;
            }
        }
        return false;
    }

    /** @return the other inputs with nothing held, and their watermarks: the ones the held records may wait for */
    private String waitingFor(InputAligner align, String stream) {
        StringJoiner inputs = new StringJoiner(", ");
        for (String other : align.streams()) {
            if (!other.equals(stream) && align.held(other) == 0) {
                long w = align.watermarkOf(other);
                inputs.add(other + " (no record held, watermark " + (w == InputAligner.NONE ? "none published"
                        : java.time.Instant.ofEpochMilli(w).toString()) + ")");
            }
        }
        return inputs.length() == 0 ? "the other inputs' watermarks or its own (every input holds records)"
                : "records or a watermark of " + inputs;
    }
}
