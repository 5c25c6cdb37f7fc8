package io.quantumtrader.streams.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes UTF-8 byte strings that recur in every entry a reader gets — field names ({@code id}, {@code time},
 * {@code data}, …) and partition keys — to one shared {@code String} each, instead of a new string per entry whose
 * hash every map look-up then computes again ({@code String.hashCode} was 3 % of the samples of a JFR profile of
 * {@code bench}; docs/BENCHMARKS.md 2026-12-04). Holds at most {@link #CAPACITY} strings;
 * anything beyond is decoded per call, as before. One instance per reader, which decodes one reply at a time; should
 * two threads still meet here, each slot holds an immutable pair (final fields), so the worst outcome is a string
 * decoded twice, never a wrong or missing one.
 */
final class RecurringStrings {

    /** Most strings kept: an entry layout has up to ten CloudEvents attributes, a dead-letter entry a few more. */
    static final int CAPACITY = 32;

    /**
     * Longest byte string kept, 256 bytes (a partition key is {@code <ns>:{<ns>.<p>}:s:<stream>}): field names are
     * whatever a writer XADDs, and before (review of 2026-12-06) the first {@link #CAPACITY} distinct ones were kept for
     * the reader's life whatever their size, 32 names of 16 MB a gigabyte per task, again after every restart.
     */
    static final int MAX_KEPT_BYTES = 256;

    private final Known[] known = new Known[CAPACITY];
    private int size;

    private record Known(byte[] encoded, String decoded) {
    }

    /**
     * @return {@code bytes} as a UTF-8 string: the same instance each time for the first {@link #CAPACITY} distinct
     *         values of at most {@link #MAX_KEPT_BYTES} bytes
     */
    String decode(byte[] bytes) {
        int n = size;   // never above CAPACITY: it only grows below it
        for (int i = 0; i < n; i++) {
            Known k = known[i];
            if (k != null && Arrays.equals(k.encoded(), bytes)) {
                return k.decoded();
            }
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (n < CAPACITY && bytes.length <= MAX_KEPT_BYTES) {
            known[n] = new Known(bytes.clone(), s);
            size = n + 1;
        }
        return s;
    }
}
