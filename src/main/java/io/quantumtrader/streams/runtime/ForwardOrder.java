package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each record of a list stands in Kafka Streams' processing order, so that a {@code merge} (or two sinks writing
 * one stream) can put records that met there back in that order after the executor ran them node by node.
 *
 * <p>Kafka Streams processes one input record at a time, depth first: a processor's outputs one after the other, each
 * through all the processor's children in the order they were added ({@code ProcessorContext.forward}), before the
 * next input record. A record's place in that order is its input record's position in the batch
 * ({@code sequence}), then its path from the source: which output of each node it was, and which child it went to.
 * The path is kept as a range of {@code [0, Long.MAX_VALUE)}: an input record owns the whole range, and a node's
 * {@code n} outputs of one record (or a record's copies to a node's {@code c} children) split their parent's range
 * into {@code n} (or {@code c}) equal parts in order. Ranges of different paths never overlap, so ordering by
 * (sequence, range start) is ordering by path, depth first. Each split by {@code n} uses about log2(n) of the 63 bits;
 * a path that used them all leaves records tied, in the order their parents were listed (the order before this
 * class existed, 2026-12-06).
 *
 * <p>An input record's paths use {@code [0, AFTER)}; {@code [AFTER, WHOLE)} is for what Kafka Streams does once the
 * record went through the whole sub-topology: the stream-time punctuations it triggered ({@link #addAfter}), whose
 * records come after every record of the input record's paths and before the next input record's.
 *
 * <p>Parallel primitive arrays, reused from batch to batch: no object per record.
 */
final class ForwardOrder {

    /** The order of a record with no known parent (a punctuation's, a {@code transform}'s): its origin only. */
    static final long WHOLE = Long.MAX_VALUE;

    /** Where an input record's paths end and what runs after the record begins ({@link #addAfter}). */
    static final long AFTER = 1L << 62;

    private int size;
    private int[] sequence = new int[16];
    private long[] start = new long[16];
    private long[] end = new long[16];

    /** Forgets every position (the arrays are kept). */
    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** @return how many positions the arrays hold before they grow (for tests) */
    int capacity() {
        return sequence.length;
    }

    /** Makes these positions a copy of {@code other}'s. */
    void copyOf(ForwardOrder other) {
        clear();
        for (int i = 0; i < other.size; i++) {
            add(other.sequence[i], other.start[i], other.end[i]);
        }
    }

    /** Appends the position of an input record: position {@code sequence} of its batch, the range of its paths. */
    void addInput(int sequence) {
        add(sequence, 0, AFTER);
    }

    /**
     * Appends output {@code part} of {@code parts} that plan node {@code node} of {@code nodes} made for the input
     * record of position {@code i} of {@code from} after that record went through the whole sub-topology (a
     * stream-time punctuation it triggered, as Kafka Streams punctuates once {@code process} of the record returned):
     * after every record of the input record's paths, before the next input record's; several punctuating nodes in
     * plan (topological) order.
     */
    void addAfter(ForwardOrder from, int i, int node, int nodes, int part, int parts) {
        long nodeWidth = (WHOLE - AFTER) / nodes;
        long width = nodeWidth / parts;
        long lo = AFTER + node * nodeWidth + part * width;
        add(from.sequence[i], lo, part == parts - 1 ? AFTER + (node + 1) * nodeWidth : lo + width);
    }

    /** Appends a record whose parent is unknown: its origin's sequence ({@link Integer#MAX_VALUE} without one). */
    void addUnknown(Record<?, ?> record) {
        addInput(record.origin() == null ? Integer.MAX_VALUE : record.origin().sequence());
    }

    /**
     * Appends part {@code part} of {@code parts} of position {@code i} of {@code from}: output {@code part} of
     * {@code parts} a node made of that record, or that record as the node's child number {@code part}.
     */
    void addPart(ForwardOrder from, int i, int part, int parts) {
        long lo = from.start[i];
        long hi = from.end[i];
        if (parts == 1) {
            add(from.sequence[i], lo, hi);
            return;
        }
        long width = (hi - lo) / parts;
        long partStart = lo + part * width;
        add(from.sequence[i], partStart, part == parts - 1 ? hi : partStart + width);
    }

    private void add(int seq, long lo, long hi) {
        if (size == sequence.length) {
            int grown = size * 2;
            sequence = Arrays.copyOf(sequence, grown);
            start = Arrays.copyOf(start, grown);
            end = Arrays.copyOf(end, grown);
        }
        sequence[size] = seq;
        start[size] = lo;
        end[size] = hi;
        size++;
    }

    private int compare(int a, int b) {
        int c = Integer.compare(sequence[a], sequence[b]);
        return c != 0 ? c : Long.compare(start[a], start[b]);
    }

    /** @return whether the positions are already in order (then nothing needs sorting) */
    boolean inOrder() {
        for (int i = 1; i < size; i++) {
            if (compare(i - 1, i) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the indexes {@code 0..size-1} in processing order; stable (tied positions keep their index order)
     */
    int[] sortedIndexes() {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        mergeSort(idx, new int[size], 0, size);
        return idx;
    }

    private void mergeSort(int[] a, int[] tmp, int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid);
        mergeSort(a, tmp, mid, to);
        if (compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && compare(tmp[i], tmp[j]) <= 0)) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
    }

    /**
     * Puts {@code records} (one per position) and these positions in processing order.
     *
     * @return {@code records} itself when already in order, else a new list in order (the positions reordered alike)
     */
    <T> List<T> sort(List<T> records) {
        if (inOrder()) {
            return records;
        }
        int[] idx = sortedIndexes();
        List<T> sorted = new ArrayList<>(size);
        // arrays of the positions there are, not of the capacity: after one large fan-out the capacity stays large, and
        // allocating it at every sort made each later small record ~35x slower (found in review, 2026-12-06)
        int length = Math.max(size, 16);
        int[] seq = new int[length];
        long[] lo = new long[length];
        long[] hi = new long[length];
        for (int k = 0; k < size; k++) {
            int i = idx[k];
            sorted.add(records.get(i));
            seq[k] = sequence[i];
            lo[k] = start[i];
            hi[k] = end[i];
        }
        sequence = seq;
        start = lo;
        end = hi;
        return sorted;
    }
}
