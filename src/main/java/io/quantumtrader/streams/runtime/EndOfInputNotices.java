package io.quantumtrader.streams.runtime;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * End-of-input notices inside one instance: when to look, never what to believe.
 *
 * <p>A task learns that its inputs have ended (every producer published watermark {@link Long#MAX_VALUE}) by reading
 * the watermark hashes at a punctuation, and passes its own end on in the commit after it. In a chain of
 * sub-topologies the end therefore reached the last one up to a punctuation interval per hop later: in the replay
 * (punctuation every 250 ms) "no more ticks" reached the portfolio 0.65 s after the tick task's last commit, ~0.1 s
 * with these notices (docs/BENCHMARKS.md, 2026-12-04 13:29 UTC).
 *
 * <p>Here a task whose end-of-input commit has landed, or code that published the end of an input it feeds
 * ({@link StreamsRuntime#inputEnded}), tells this instance's tasks reading those streams; each then punctuates at
 * once, and after every batch until it has processed the rest of its input and published its own end
 * ({@link StreamTask#noticeInputEnded}). The watermark hashes in Redis stay the only truth: a notice that arrives too
 * early, twice, or not at all changes only when a task looks. Tasks of other instances still look at their next
 * punctuation (no notice crosses instances).
 */
final class EndOfInputNotices {

    private final Map<String, List<StreamTask>> readers = new ConcurrentHashMap<>();

    /**
     * @param inputStreams the streams {@code task} reads; a producer publishes its end to every partition of its output
     *                     streams, so the task of every partition is told
     */
    void register(StreamTask task, Collection<String> inputStreams) {
        for (String stream : inputStreams) {
            readers.computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>()).add(task);
        }
    }

    /** Tells the readers of {@code streams} that a producer of them has published its end of input. */
    void ended(Collection<String> streams) {
        for (String stream : streams) {
            for (StreamTask task : readers.getOrDefault(stream, List.of())) {
                task.noticeInputEnded();
            }
        }
    }
}
