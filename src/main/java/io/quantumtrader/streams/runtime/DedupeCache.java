package io.quantumtrader.streams.runtime;

import java.security.SecureRandom;
import java.util.Map;

/**
 * The events a task has processed within the dedupe window (DESIGN §2 "Hostile input": idempotent ingest), each by
 * its {@link #keyOf key} (input stream, CloudEvents {@code source} and {@code id}; called "id" below), kept in
 * memory, bounded by the window and a count. Loaded from the task's dedupe set in Redis when the task starts; ids of
 * each batch join it as the batch is processed and are written to Redis by the batch's commit, so what the cache
 * says after a restart is exactly what was committed.
 *
 * <p>Every input entry asks {@link #contains} and nearly every answer is "no", for an id that is not there. The JDK's
 * {@code LinkedHashMap} answered that with a cache miss on a node per probed bucket and kept an entry object and a boxed
 * {@code Long} per id (~56 bytes, all promoted to the old generation): 10 % of the task threads' CPU samples in
 * {@code bench} (async-profiler, docs/BENCHMARKS.md 2026-12-04 18:27). So the ids are kept here in two flat parts:
 * <ul>
 *   <li>a ring of the ids in the order they were first added (id, arrival ms, hash), oldest at {@code head}; the
 *       window and the bound only ever forget the oldest, so the ring has no holes;</li>
 *   <li>an open-addressing table (linear probing, at most half full) of one {@code long} per slot, the id's hash and
 *       its ring position, so a probe reads one array element and reads an id's characters only when the hashes are
 *       equal. Forgetting an id deletes its slot by backward shift, so there are no tombstones.</li>
 * </ul>
 * The answers are those of an insertion-ordered map: adding an id that is already there updates its arrival and keeps
 * its place in the order.
 *
 * <p><b>Hostile ids.</b> Event ids come from producers. Ids chosen to share a {@code String.hashCode} (easy: "Aa" and
 * "BB" do) would form one probe run and make every look-up walk it — quadratic time, where the JDK's map falls back to
 * a tree (hashed by {@code String.hashCode}, this table took 4.5 s for 32,768 such ids, the JDK's map 28 ms, in a
 * review of this class). So the table hashes an id with
 * SipHash-2-4 (Aumasson and Bernstein, 2012) under a key drawn at random for each cache: without the key, ids cannot
 * be chosen to collide. The id passed to {@link #contains} and then {@link #add} is hashed once.
 */
public final class DedupeCache {

    private static final int INITIAL_CAPACITY = 1024;
    private static final SecureRandom KEYS = new SecureRandom();

    private final long windowMs;
    private final long maxIds;
    private long newestArrival = Long.MIN_VALUE;
    /** SipHash key of this cache (128 bits). */
    private final long k0 = KEYS.nextLong();
    private final long k1 = KEYS.nextLong();
    /** The id hashed last and its hash: a record's {@code contains} and {@code add} pass the same string. */
    private String lastHashed;
    private int lastHash;

    /** The ring: ids in the order first added; position {@code (head + k) & ringMask} holds the k-th oldest. */
    private String[] ids = new String[INITIAL_CAPACITY];
    private long[] arrivals = new long[INITIAL_CAPACITY];
    private int[] hashes = new int[INITIAL_CAPACITY];
    private int ringMask = INITIAL_CAPACITY - 1;
    private int head;
    private int size;

    /** The table: a slot holds the id's hash (high 32 bits) and its ring position + 1 (low 32 bits; 0: empty). */
    private long[] slots = new long[2 * INITIAL_CAPACITY];
    private int slotMask = 2 * INITIAL_CAPACITY - 1;

    /**
     * @param windowMs how long an id is remembered after its arrival, ms
     * @param maxIds   most ids remembered; 0 disables deduplication
     */
    public DedupeCache(long windowMs, long maxIds) {
        this.windowMs = windowMs;
        this.maxIds = maxIds;
    }

    /** @return false when deduplication is off ({@code maxIds} 0) */
    public boolean enabled() {
        return maxIds > 0;
    }

    /**
     * The key an input event is deduplicated by: the input stream, the CloudEvents {@code source} and the event
     * {@code id}, as {@code <stream> <source length>:<source> <id>} (a stream name has no space, the source is
     * length-prefixed, so no two triples share a key). CloudEvents 1.0 identifies an event by {@code source} + {@code
     * id} ("Producers MUST ensure that source + id is unique for each distinct event"): keyed on the id alone, two
     * different events with one id on two inputs of a task (a merge, a join), or from two producers on one stream,
     * made the second a "duplicate" and skipped it (review of 2026-12-06). The input stream is in the key too, so one
     * event written to two inputs of a task is processed on each (a task reads each input for its own purpose); a
     * producer's retry lands on the same stream with the same source and id, and is still skipped.
     *
     * @param stream  the logical input stream the entry was read from
     * @param source  the event's CloudEvents {@code source} (at most {@link IngestLimits#MAX_EVENT_SOURCE_CHARS})
     * @param eventId the event's CloudEvents {@code id}
     */
    static String keyOf(String stream, String source, String eventId) {
        return new StringBuilder(stream.length() + source.length() + eventId.length() + 8).append(stream).append(' ')
                .append(source.length()).append(':').append(source).append(' ').append(eventId).toString();
    }

    /**
     * @return the event id of a key made by {@link #keyOf}; null when {@code key} is not one (an id recorded before
     *         2026-12-06 alone, in the dedupe log or the former sorted set)
     */
    static String idOf(String key) {
        int space = key.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        for (int i = 0; i < space; i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return null;   // not a stream name
            }
        }
        int colon = space + 1;
        long length = 0;
        while (colon < key.length() && key.charAt(colon) >= '0' && key.charAt(colon) <= '9' && length <= key.length()) {
            length = length * 10 + (key.charAt(colon) - '0');
            colon++;
        }
        long end = colon + 1 + length;   // the space after the source
        if (colon == space + 1 || colon >= key.length() || key.charAt(colon) != ':' || end >= key.length()
                || key.charAt((int) end) != ' ') {
            return null;
        }
        return key.substring((int) end + 1);
    }

    /**
     * Adds ids read back from Redis in the map's iteration order, which must be the order the task processed them
     * (its commits' order): the bound forgets the first ones first, as it did before the restart. Sorted by arrival
     * instead (until 2026-12-07), the ids of one commit, which share an arrival, came back in an arbitrary order, and the
     * bound forgot one the task had remembered ({@code DedupeRestartOrderTest}).
     */
    void load(Map<String, Long> ids) {
        ids.forEach(this::add);
    }

    /** @return true when {@code eventId} was processed within the window */
    public boolean contains(String eventId) {
        return size > 0 && slotOf(eventId, hash(eventId)) >= 0;
    }

    /** Remembers an id that arrived at {@code arrivalMs}, forgetting what fell out of the window or the bound. */
    public void add(String eventId, long arrivalMs) {
        if (!enabled()) {
            return;
        }
        int h = hash(eventId);
        int slot = slotOf(eventId, h);
        if (slot >= 0) {
            arrivals[position(slots[slot])] = arrivalMs;
        } else {
            if (size >= maxIds) {
                forgetOldest(); // the bound: the oldest goes before the new id comes, so the ring never exceeds it
            }
            append(eventId, arrivalMs, h);
        }
        newestArrival = Math.max(newestArrival, arrivalMs);
        long floor = floorMs();
        while (size > 0 && arrivals[head] < floor) {
            forgetOldest();
        }
    }

    /** @return arrivals before this epoch ms are forgotten; {@code Long.MIN_VALUE} before anything arrived */
    long floorMs() {
        return newestArrival == Long.MIN_VALUE ? Long.MIN_VALUE : newestArrival - windowMs;
    }

    /** @return ids remembered now */
    int size() {
        return size;
    }

    private int hash(String id) {
        if (id != lastHashed) {
            long h = sipHash24(k0, k1, id);
            lastHash = (int) (h ^ (h >>> 32));
            lastHashed = id;
        }
        return lastHash;
    }

    /**
     * SipHash-2-4 of the string's UTF-16LE encoding (two bytes per char), without encoding it.
     *
     * @return the 64-bit hash under the key {@code k0}, {@code k1} (the key's first and second 8 bytes, little-endian)
     */
    static long sipHash24(long k0, long k1, String s) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int n = s.length();
        int words = n / 4; // whole 8-byte words; then the last block, with the byte length in its top byte
        for (int w = 0; w <= words + 1; w++) {
            long m = 0;
            int rounds;
            if (w <= words) {
                if (w < words) {
                    int i = 4 * w;
                    m = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
                            | (long) s.charAt(i + 3) << 48;
                } else {
                    m = (long) (2 * n & 0xff) << 56;
                    for (int i = 4 * words, shift = 0; i < n; i++, shift += 16) {
                        m |= (long) s.charAt(i) << shift;
                    }
                }
                v3 ^= m;
                rounds = 2;
            } else {
                v2 ^= 0xff;
                rounds = 4;
            }
            for (int r = 0; r < rounds; r++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13);
                v1 ^= v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16);
                v3 ^= v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21);
                v3 ^= v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17);
                v1 ^= v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** @return the longest run of consecutive occupied table slots (what a look-up may have to walk) */
    int longestProbeRun() {
        int longest = 0;
        int run = 0;
        // start after an empty slot so that a run across the table's end is counted whole
        int start = 0;
        while (slots[start] != 0) {
            start++;
        }
        for (int k = 1; k <= slots.length; k++) {
            run = slots[(start + k) & slotMask] != 0 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /** @return the table slot holding {@code id}, or -1 */
    private int slotOf(String id, int h) {
        for (int i = h & slotMask; ; i = (i + 1) & slotMask) {
            long slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if ((int) (slot >>> 32) == h && ids[position(slot)].equals(id)) {
                return i;
            }
        }
    }

    /** @return the ring position a non-empty slot refers to */
    private static int position(long slot) {
        return (int) slot - 1;
    }

    private void append(String id, long arrivalMs, int h) {
        if (size == ids.length) {
            growRing();
        }
        int position = (head + size) & ringMask;
        ids[position] = id;
        arrivals[position] = arrivalMs;
        hashes[position] = h;
        size++;
        insertSlot(position, h); // the table has twice the ring's slots: never more than half full
    }

    private void insertSlot(int position, int h) {
        int i = h & slotMask;
        while (slots[i] != 0) {
            i = (i + 1) & slotMask;
        }
        slots[i] = (long) h << 32 | (position + 1);
    }

    private void forgetOldest() {
        // the oldest id's slot is the one in its probe run that refers to the head: no id is compared
        int slot = hashes[head] & slotMask;
        for (int probes = 0; (int) slots[slot] != head + 1; probes++) {
            if (probes == slots.length) {
                throw new IllegalStateException("dedupe cache: the oldest id has no slot (" + size + " ids)");
            }
            slot = (slot + 1) & slotMask;
        }
        deleteSlot(slot);
        ids[head] = null;
        head = (head + 1) & ringMask;
        size--;
    }

    /** Backward-shift deletion: moves later entries of the probe run into the gap unless that would pass their home. */
    private void deleteSlot(int gap) {
        for (int j = (gap + 1) & slotMask; slots[j] != 0; j = (j + 1) & slotMask) {
            int home = (int) (slots[j] >>> 32) & slotMask;
            // the entry at j may fill the gap when its home is not cyclically within (gap, j]
            boolean homeBetween = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!homeBetween) {
                slots[gap] = slots[j];
                gap = j;
            }
        }
        slots[gap] = 0;
    }

    /** Doubles the ring, oldest id at position 0, and rebuilds the table for the new positions. */
    private void growRing() {
        int capacity = 2 * ids.length;
        String[] newIds = new String[capacity];
        long[] newArrivals = new long[capacity];
        int[] newHashes = new int[capacity];
        for (int k = 0; k < size; k++) {
            int from = (head + k) & ringMask;
            newIds[k] = ids[from];
            newArrivals[k] = arrivals[from];
            newHashes[k] = hashes[from];
        }
        ids = newIds;
        arrivals = newArrivals;
        hashes = newHashes;
        ringMask = capacity - 1;
        head = 0;
        rebuildTable(2 * capacity);
    }

    private void rebuildTable(int slots) {
        this.slots = new long[slots];
        slotMask = slots - 1;
        for (int k = 0; k < size; k++) {
            int position = (head + k) & ringMask;
            insertSlot(position, hashes[position]);
        }
    }
}
