package io.quantumtrader.streams.dsl;

/**
 * A key with the time window it was aggregated in, as Kafka Streams' {@code Windowed<K>}.
 *
 * @param key   the record key
 * @param start window start, epoch ms, inclusive
 * @param end   window end, epoch ms, exclusive
 */
public record Windowed<K>(K key, long start, long end) {
    /** Kafka's text form: {@code [key@start/end]}. */
    @Override
    public String toString() {
        return "[" + key + "@" + start + "/" + end + "]";
    }

    /**
     * The key part of a subject in Kafka's text form ({@link #toString()}): a sink writes a windowed record to its
     * key's partition (as Kafka Streams' {@code WindowedStreamPartitioner}), not to its window's, so a consumer
     * checking partitions needs the key back from the subject.
     *
     * @param subject an entry's subject, e.g. {@code [BTC@0/60000]}
     * @return the key's text ({@code BTC}), or {@code null} when {@code subject} is not {@code [key@start/end]} with
     *         whole-number start and end
     */
    public static String keyOf(String subject) {
        int n = subject.length();
        if (n < 6 || subject.charAt(0) != '[' || subject.charAt(n - 1) != ']') {
            return null;
        }
        int at = subject.lastIndexOf('@');
        int slash = subject.lastIndexOf('/');
        if (at < 0 || slash < at + 2 || slash > n - 3 || !wholeNumber(subject, at + 1, slash)
                || !wholeNumber(subject, slash + 1, n - 1)) {
            return null;
        }
        return subject.substring(1, at);
    }

    private static boolean wholeNumber(String s, int from, int to) {
        int i = from < to && s.charAt(from) == '-' ? from + 1 : from;
        if (i >= to) {
            return false;
        }
        for (; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
