package io.quantumtrader.streams.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link DedupeCache} against a model written here with the JDK's insertion-ordered {@code LinkedHashMap} (the cache's
 * earlier implementation, as the rule of DESIGN §2: forget the oldest while over the bound or before the window). Ids
 * are drawn from small sets so that adds repeat ids, probe runs grow, and forgetting shifts entries back; one set has
 * only two distinct {@code hashCode}s.
 */
class DedupeCacheTest {

    /** The rule, without the cache's table: an insertion-ordered map, oldest forgotten first. */
    private static final class Model {
        final long windowMs;
        final long maxIds;
        final LinkedHashMap<String, Long> arrivals = new LinkedHashMap<>();
        long newest = Long.MIN_VALUE;

        Model(long windowMs, long maxIds) {
            this.windowMs = windowMs;
            this.maxIds = maxIds;
        }

        void add(String id, long arrival) {
            if (maxIds == 0) {
                return;
            }
            arrivals.put(id, arrival);
            newest = Math.max(newest, arrival);
            Iterator<Map.Entry<String, Long>> it = arrivals.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (arrivals.size() > maxIds || e.getValue() < newest - windowMs) {
                    it.remove();
                } else {
                    break;
                }
            }
        }
    }

    @Test
    void answersAsTheInsertionOrderedModelDoesWithRepeatsOutOfOrderArrivalsAndForgetting() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            long window = 1 + random.nextInt(400);
            boolean collide = seed % 3 == 0;
            long maxIds = 1 + random.nextInt(seed % 4 == 0 && !collide ? 3_000 : 300);
            List<String> universe = collide ? ids(500, true) : ids(random.nextBoolean() ? 500 : 5_000, false);
            run(random, window, maxIds, universe, 20_000, 97);
        }
    }

    @Test
    void growsPastItsFirstCapacityAndForgetsByTheBound() {
        Random random = new Random(7);
        run(random, Long.MAX_VALUE / 4, 50_000, ids(120_000, false), 150_000, 15_013);
    }

    @Test
    void idsWithEqualHashCodesAreToldApart() {
        assertThat("AaAa".hashCode()).isEqualTo("BBBB".hashCode());
        DedupeCache cache = new DedupeCache(1_000, 10);
        cache.add("AaAa", 1);
        assertThat(cache.contains("AaAa")).isTrue();
        assertThat(cache.contains("BBBB")).isFalse();
        assertThat(cache.contains("AaBB")).isFalse();
    }

    @Test
    void idsChosenToShareAHashCodeDoNotFormOneProbeRun() {
        List<String> hostile = ids(32_768, true);
        assertThat(hostile.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);
        DedupeCache cache = new DedupeCache(Long.MAX_VALUE / 4, 100_000);
        for (String id : hostile) {
            assertThat(cache.contains(id)).isFalse();
            cache.add(id, 1);
        }
        assertThat(hostile).allMatch(cache::contains);
        // keyed by String.hashCode the 32,768 ids would be one run of 32,768 slots
        assertThat(cache.longestProbeRun()).isLessThan(100);
    }

    @Test
    void sipHashMatchesThePublishedVectorsThroughAReferenceOverBytes() {
        long k0 = 0x0706050403020100L; // key 00 01 .. 0f
        long k1 = 0x0f0e0d0c0b0a0908L;
        byte[] fifteen = new byte[15];
        for (int i = 0; i < fifteen.length; i++) {
            fifteen[i] = (byte) i;
        }
        // the SipHash paper's example (Appendix A) and the first entry of its reference vectors
        assertThat(referenceSipHash24(k0, k1, fifteen)).isEqualTo(0xa129ca6149be45e5L);
        assertThat(referenceSipHash24(k0, k1, new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
        Random random = new Random(3);
        for (int t = 0; t < 2_000; t++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(41);
            for (int i = 0; i < length; i++) {
                text.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0xD800)));
            }
            String id = text.toString();
            long a = random.nextLong();
            long b = random.nextLong();
            assertThat(DedupeCache.sipHash24(a, b, id)).as("%s", id)
                    .isEqualTo(referenceSipHash24(a, b, id.getBytes(StandardCharsets.UTF_16LE)));
        }
    }

    /** SipHash-2-4 over bytes, as the paper specifies it (independent of the cache's char-wise version). */
    private static long referenceSipHash24(long k0, long k1, byte[] m) {
        long[] v = {0x736f6d6570736575L ^ k0, 0x646f72616e646f6dL ^ k1, 0x6c7967656e657261L ^ k0,
                0x7465646279746573L ^ k1};
        int end = m.length - m.length % 8;
        for (int i = 0; i < end; i += 8) {
            long word = 0;
            for (int j = 7; j >= 0; j--) {
                word = word << 8 | (m[i + j] & 0xffL);
            }
            compress(v, word, 2);
        }
        long last = (long) (m.length & 0xff) << 56;
        for (int j = 0; j < m.length % 8; j++) {
            last |= (m[end + j] & 0xffL) << (8 * j);
        }
        compress(v, last, 2);
        v[2] ^= 0xff;
        compress(v, 0, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(long[] v, long word, int rounds) {
        v[3] ^= word;
        for (int r = 0; r < rounds; r++) {
            v[0] += v[1]; v[2] += v[3];
            v[1] = Long.rotateLeft(v[1], 13); v[3] = Long.rotateLeft(v[3], 16);
            v[1] ^= v[0]; v[3] ^= v[2];
            v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[1]; v[0] += v[3];
            v[1] = Long.rotateLeft(v[1], 17); v[3] = Long.rotateLeft(v[3], 21);
            v[1] ^= v[2]; v[3] ^= v[0];
            v[2] = Long.rotateLeft(v[2], 32);
        }
        v[0] ^= word;
    }

    @Test
    void theBoundIsCheckedWhereItIsConfigured() {
        assertThat(IngestLimits.defaults().withDedupe(Duration.ofHours(1), IngestLimits.MAX_DEDUPE_IDS)
                .dedupeMaxIds()).isEqualTo(268_435_456L);
        assertThatThrownBy(() -> IngestLimits.defaults()
                        .withDedupe(Duration.ofHours(1), IngestLimits.MAX_DEDUPE_IDS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dedupe ids 268435457 (0 to 268435456)");
    }

    @Test
    void zeroMaxIdsRemembersNothing() {
        DedupeCache cache = new DedupeCache(1_000, 0);
        cache.add("a", 1);
        assertThat(cache.enabled()).isFalse();
        assertThat(cache.contains("a")).isFalse();
        assertThat(cache.size()).isZero();
        assertThat(cache.floorMs()).isEqualTo(Long.MIN_VALUE);
    }

    /**
     * The load keeps the order the task processed the ids in (its commits'), not their arrivals: "b" was processed
     * first although it arrived last (a lagging input), so the bound forgets it first, as before a restart.
     */
    @Test
    void loadAddsInTheOrderGiven() {
        DedupeCache cache = new DedupeCache(1_000, 2);
        Map<String, Long> processed = new java.util.LinkedHashMap<>();
        processed.put("b", 30L);
        processed.put("a", 10L);
        processed.put("c", 20L);
        cache.load(processed);
        assertThat(cache.contains("b")).isFalse();
        assertThat(cache.contains("a")).isTrue();
        assertThat(cache.contains("c")).isTrue();
        assertThat(cache.floorMs()).isEqualTo(30 - 1_000);
    }

    /** @param checkEvery steps between asking the cache about every id of the universe */
    private static void run(Random random, long window, long maxIds, List<String> universe, int steps, int checkEvery) {
        DedupeCache cache = new DedupeCache(window, maxIds);
        Model model = new Model(window, maxIds);
        long clock = 0;
        for (int step = 0; step < steps; step++) {
            String id = universe.get(random.nextInt(universe.size()));
            // mostly forward, sometimes an entry that arrived earlier than the newest
            clock += random.nextInt(3);
            long arrival = random.nextInt(10) == 0 ? clock - random.nextInt(50) : clock;
            assertThat(cache.contains(id)).as("contains before add, step %d", step)
                    .isEqualTo(model.arrivals.containsKey(id));
            cache.add(id, arrival);
            model.add(id, arrival);
            assertThat(cache.size()).as("size, step %d", step).isEqualTo(model.arrivals.size());
            if (step % checkEvery == 0) {
                for (String probe : universe) {
                    assertThat(cache.contains(probe)).as("%s at step %d", probe, step)
                            .isEqualTo(model.arrivals.containsKey(probe));
                }
            }
        }
        assertThat(cache.floorMs()).isEqualTo(model.newest - window);
    }

    /**
     * @param count   ids, at most 32,768 when {@code collide}
     * @param collide ids made of 15 "Aa" or "BB" blocks, the i-th id's blocks spelling i in binary: all share a hashCode
     */
    private static List<String> ids(int count, boolean collide) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (collide) {
                StringBuilder s = new StringBuilder();
                for (int bit = 0; bit < 15; bit++) {
                    s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
                }
                ids.add(s.toString());
            } else {
                ids.add(UUID.nameUUIDFromBytes(Integer.toString(i).getBytes()).toString());
            }
        }
        return ids;
    }

    /** A key names stream, source and id so that no two triples share it, and gives its id back; a bare id is no key. */
    @Test
    void keysOfDifferentEventsDifferAndGiveTheirIdBack() {
        List<String[]> triples = List.of(new String[]{"left", "feed", "X"}, new String[]{"right", "feed", "X"},
                new String[]{"left", "feed X", ""}, new String[]{"left", "feed", " X"}, new String[]{"left", "7:a b", "c 9:d e"},
                new String[]{"left", "", "X"});
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String[] t : triples) {
            String key = DedupeCache.keyOf(t[0], t[1], t[2]);
            assertThat(keys.add(key)).as(key).isTrue();
            assertThat(DedupeCache.idOf(key)).isEqualTo(t[2]);
        }
        assertThat(DedupeCache.keyOf("ticks", "unknown", "e-1")).isEqualTo("ticks 7:unknown e-1");
        for (String bare : List.of("e-1", "a b", "ticks 7:unknown", "ticks x:abc d", "bad/stream 1:a b", " 1:a b", "ticks 99:short x")) {
            assertThat(DedupeCache.idOf(bare)).as(bare).isNull();
        }
    }
}
