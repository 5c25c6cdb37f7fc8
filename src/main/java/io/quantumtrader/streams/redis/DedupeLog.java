package io.quantumtrader.streams.redis;

import java.util.function.BiConsumer;

/**
 * The layout of a task's dedupe log in Redis: the input event ids its commits recorded (DESIGN §2 "Hostile input":
 * idempotent ingest), a list ({@link StreamKeys#dedupe}) with <b>one element per commit</b>, appended by
 * {@code commit.lua} and read back when the task starts. Since 2026-12-06 each "id" is the event's key, input stream +
 * CloudEvents source + id ({@code <stream> <source length>:<source> <id>}, {@code DedupeCache.keyOf}); before, the id
 * alone.
 *
 * <p>An element is a header line {@code <newest arrival ms> <count>\n}, then each id as {@code <length>:<id>\n} (length
 * in UTF-16 chars of the Java string, so an id may hold any character, a newline too). For example a commit of two ids
 * that arrived at 1700000000000 and 1700000000004 ms: {@code "1700000000004 2\n3:abc\n5:x-1 2\n"}.
 *
 * <p>Why a list of commits and not a sorted set of ids (its layout until 2026-12-03): the task checks ids in memory
 * ({@code DedupeCache}) and Redis only has to keep them for a restart, so one element per commit costs Redis one
 * append instead of a sorted-set insert per id: a 500-record commit took 2.0–3.0 ms of Redis time instead of
 * 2.9–3.5 ms, ids take 41 bytes instead of 136 (docs/BENCHMARKS.md, 2026-12-03 22:21 section). The price: an id's
 * arrival in Redis is its commit's newest, so after a restart an id is remembered up to one batch's span longer than
 * the window (never shorter).
 */
public final class DedupeLog {

    private DedupeLog() {
    }

    /**
     * Appends one id to a commit's element body (without its header).
     *
     * @param body    the ids of one commit so far
     * @param eventId an input event id
     */
    static void append(StringBuilder body, String eventId) {
        body.append(eventId.length()).append(':').append(eventId).append('\n');
    }

    /**
     * @param newestArrivalMs the newest arrival (epoch ms, the ms part of the stream entry id) among the commit's ids
     * @param count           the number of ids in {@code body}
     * @param body            ids as built by {@link #append}
     * @return one element of the log
     */
    static String element(long newestArrivalMs, int count, CharSequence body) {
        return new StringBuilder(body.length() + 24).append(newestArrivalMs).append(' ').append(count).append('\n')
                .append(body).toString();
    }

    /**
     * Reads one element of the log.
     *
     * @param element as {@code commit.lua} stored it
     * @param id      receives each event id with its commit's newest arrival (epoch ms)
     * @throws IllegalArgumentException when the element is not in this layout (written by something else); the ids
     *                                  before the fault have been passed on
     */
    public static void parse(String element, BiConsumer<String, Long> id) {
        int eol = element.indexOf('\n');
        int space = element.indexOf(' ');
        if (eol < 0 || space < 0 || space > eol) {
            throw new IllegalArgumentException("no '<arrival ms> <count>' header line");
        }
        long arrival;
        int count;
        try {
            arrival = Long.parseLong(element, 0, space, 10);
            count = Integer.parseInt(element, space + 1, eol, 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header '" + element.substring(0, eol) + "' is not '<arrival ms> <count>'");
        }
        int pos = eol + 1;
        for (int n = 0; n < count; n++) {
            int colon = element.indexOf(':', pos);
            int length;
            try {
                length = colon < 0 ? -1 : Integer.parseInt(element, pos, colon, 10);
            } catch (NumberFormatException e) {
                length = -1;
            }
            int end = colon + 1 + length;
            if (length < 0 || end >= element.length() || element.charAt(end) != '\n') {
                throw new IllegalArgumentException("id " + (n + 1) + " of " + count + " is not '<length>:<id>\\n'");
            }
            id.accept(element.substring(colon + 1, end), arrival);
            pos = end + 1;
        }
    }
}
