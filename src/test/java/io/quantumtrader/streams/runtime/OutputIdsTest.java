package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Output event ids stay {@code nameUUID(<application>/<stream>/<partition>/<entry id>/<sink>/<n>)} (the n-th output a
 * sink writes for one input entry), checked against {@code UUID.nameUUIDFromBytes} of the spelled-out name: a replay
 * after a crash, or after an upgrade, must derive the ids the first run wrote, or downstream dedupe misses them.
 */
class OutputIdsTest {

    @Test
    void numbersEachSinksOutputsPerInputEntry() {
        OutputIds ids = new OutputIds("app");
        ids.begin("batch-7");
        Record<String, String> a = record("ticks", 3, "1700000000000-0", 0);
        Record<String, String> b = record("ticks", 3, "1700000000000-1", 1);
        Record<String, String> otherPartition = record("ticks", 4, "1700000000000-0", 2);
        Record<String, String> otherStream = record("quotes", 3, "1700000000000-0", 3);
        ids.batchOrigins(List.of(a.origin(), b.origin(), otherPartition.origin(), otherStream.origin()));

        assertThat(ids.next(a, "sink-x")).isEqualTo(uuid("app/ticks/3/1700000000000-0/sink-x/1"));
        assertThat(ids.next(a, "sink-x")).isEqualTo(uuid("app/ticks/3/1700000000000-0/sink-x/2"));
        assertThat(ids.next(a, "sink-y")).isEqualTo(uuid("app/ticks/3/1700000000000-0/sink-y/1"));
        assertThat(ids.next(b, "sink-x")).isEqualTo(uuid("app/ticks/3/1700000000000-1/sink-x/1"));
        // another partition or stream with the same entry id is another input entry
        assertThat(ids.next(otherPartition, "sink-x")).isEqualTo(uuid("app/ticks/4/1700000000000-0/sink-x/1"));
        assertThat(ids.next(otherStream, "sink-x")).isEqualTo(uuid("app/quotes/3/1700000000000-0/sink-x/1"));
        // without origin (a punctuation's output): numbered within the batch
        Record<String, String> free = new Record<>("k", "v", 1L, null, null);
        assertThat(ids.next(free, "sink-x")).isEqualTo(uuid("app/batch-7/sink-x/1/1:1:k\"v\""));
        assertThat(ids.next(free, "sink-x")).isEqualTo(uuid("app/batch-7/sink-x/2/1:1:k\"v\""));
        assertThat(ids.originId(a)).isEqualTo("ticks/3/1700000000000-0");
        assertThat(ids.originId(free)).isEqualTo("batch-7");
    }

    @Test
    void anEntryProcessedAgainInAnotherBatchGetsTheSameIds() {
        OutputIds ids = new OutputIds("app");
        Record<String, String> a = record("ticks", 0, "5-0", 0);
        ids.begin("b1");
        ids.batchOrigins(List.of(a.origin()));
        String first = ids.next(a, "s");
        // the same entry read again after a crash: a new batch, a new origin object for it
        Record<String, String> again = record("ticks", 0, "5-0", 0);
        ids.begin("b2");
        ids.batchOrigins(List.of(again.origin()));
        assertThat(ids.next(again, "s")).isEqualTo(first).isEqualTo(uuid("app/ticks/0/5-0/s/1"));
    }

    /** A record a processor kept and forwards from a later batch is numbered in that batch, not again per origin. */
    @Test
    void aRecordOfAnEarlierBatchIsNumberedInTheBatchThatWritesIt() {
        OutputIds ids = new OutputIds("app");
        Record<String, String> kept = record("ticks", 0, "5-0", 0);
        ids.begin("batch/0_0/1");
        ids.batchOrigins(List.of(kept.origin()));
        String inItsBatch = ids.next(kept, "s");
        ids.begin("batch/0_0/2");   // a punctuation: no input entries
        assertThat(ids.next(kept.withValue("later"), "s")).isNotEqualTo(inItsBatch)
                .isEqualTo(uuid("app/batch/0_0/2/s/1/1:1:k\"later\""));
        ids.begin("batch/0_0/3");
        Record<String, String> next = record("ticks", 0, "6-0", 0);
        ids.batchOrigins(List.of(next.origin()));
        assertThat(ids.next(kept, "s")).as("its origin's sequence is taken by another entry of this batch")
                .isEqualTo(uuid("app/batch/0_0/3/s/1/1:1:k\"v\""));
    }

    /**
     * A commit sequence used twice — Redis lost the commits that used it first (a failover without {@code WAIT}) —
     * numbers the re-processing's punctuation outputs as the lost ones were numbered. Their ids must differ where their
     * content does: the lost batch's outputs, forwarded to another master before the failover, were consumed there,
     * and a consuming task skips an id its dedupe window holds (found in review, 2026-12-06: the output of a
     * punctuation that closed another window was skipped, a loss). The same output again keeps its id.
     */
    @Test
    void aSequenceUsedTwiceGivesOtherContentAnotherId() {
        OutputIds ids = new OutputIds("app");
        ids.begin("batch/0_0/9");
        String lost = ids.next(new Record<>("BTC-USD", "window 10:00 closed", 600_000L, null, null), "candles");
        ids.begin("batch/0_0/9");   // the re-processing, after the failover, reaches the same sequence
        String other = ids.next(new Record<>("BTC-USD", "window 10:01 closed", 660_000L, null, null), "candles");
        ids.begin("batch/0_0/9");
        String same = ids.next(new Record<>("BTC-USD", "window 10:00 closed", 600_000L, null, null), "candles");

        assertThat(other).isNotEqualTo(lost);
        assertThat(same).isEqualTo(lost);
        // the key and the time count too, and a key and a value are not read as one text
        ids.begin("batch/0_0/9");
        assertThat(ids.next(new Record<>("ETH-USD", "window 10:00 closed", 600_000L, null, null), "candles")).isNotEqualTo(lost);
        ids.begin("batch/0_0/9");
        assertThat(ids.next(new Record<>("BTC-USD", "window 10:00 closed", 600_001L, null, null), "candles")).isNotEqualTo(lost);
        ids.begin("batch/0_0/9");
        String ab = ids.next(new Record<>("ab", "c", 1L, null, null), "s");
        ids.begin("batch/0_0/9");
        assertThat(ids.next(new Record<>("a", "bc", 1L, null, null), "s")).isNotEqualTo(ab);
    }

    /** A map-valued output: two equal maps that iterate in other orders give one id (canonical JSON). */
    record Summary(String account, Map<String, Double> exposureBySymbol) {
    }

    @Test
    void equalMapsThatIterateDifferentlyGiveOneId() {
        Map<String, Double> fresh = new java.util.HashMap<>();   // as rebuilt after a restart from the restored state
        fresh.put("a", 1.0);
        fresh.put("B", 2.0);
        Map<String, Double> grown = new java.util.HashMap<>();   // as held in memory by the first run: grew, then shrank
        for (int i = 0; i < 40; i++) {
            grown.put("k" + i, 0.0);
        }
        grown.clear();
        grown.put("a", 1.0);
        grown.put("B", 2.0);
        assertThat(List.copyOf(grown.keySet())).as("the two iterate differently").isNotEqualTo(List.copyOf(fresh.keySet()));
        OutputIds run1 = new OutputIds("app");
        run1.begin("batch/t/7");
        OutputIds run2 = new OutputIds("app");
        run2.begin("batch/t/7");   // the same commit sequence, processed again
        assertThat(run2.next(new Record<>("paper", new Summary("paper", fresh), 5L, null, null), "sink", "paper"))
                .isEqualTo(run1.next(new Record<>("paper", new Summary("paper", grown), 5L, null, null), "sink", "paper"));
    }

    /** A set-valued output: two equal sets that iterate in other orders give one id (elements in canonical order). */
    record Watchlist(String account, Set<String> symbols, Map<String, Set<Integer>> levels) {
    }

    @Test
    void equalSetsThatIterateDifferentlyGiveOneId() {
        Set<String> inserted = new java.util.LinkedHashSet<>(List.of("SOL-USD", "BTC-USD", "ETH-USD"));
        Set<String> reinserted = new java.util.LinkedHashSet<>(List.of("ETH-USD", "SOL-USD", "BTC-USD"));
        Set<String> hashed = new java.util.HashSet<>(List.of("BTC-USD", "ETH-USD", "SOL-USD"));
        Set<Integer> levels = new java.util.LinkedHashSet<>(List.of(30, 10, 20));
        Set<Integer> levelsAgain = new java.util.HashSet<>(List.of(10, 20, 30));
        assertThat(List.copyOf(inserted)).as("the two iterate differently").isNotEqualTo(List.copyOf(reinserted));
        Watchlist first = new Watchlist("paper", inserted, Map.of("BTC-USD", levels));
        Watchlist again = new Watchlist("paper", reinserted, Map.of("BTC-USD", levelsAgain));
        Watchlist hashedAgain = new Watchlist("paper", hashed, Map.of("BTC-USD", levelsAgain));
        assertThat(again).isEqualTo(first);

        String id = idOf(first);
        assertThat(idOf(again)).isEqualTo(id);
        assertThat(idOf(hashedAgain)).isEqualTo(id);
        assertThat(idOf(new Watchlist("paper", Set.of("BTC-USD", "ETH-USD"), Map.of("BTC-USD", levels))))
                .as("another set, another id").isNotEqualTo(id);
    }

    /** @return the id of {@code value} as the first output of the sequence's re-processing (a new OutputIds) */
    private static String idOf(Object value) {
        OutputIds ids = new OutputIds("app");
        ids.begin("batch/t/7");
        return ids.next(new Record<>("paper", value, 5L, null, null), "sink", "paper");
    }

    private static Record<String, String> record(String stream, int partition, String entryId, int sequence) {
        return new Record<>("k", "v", 1L, null, new Record.Origin(stream, partition, entryId, Map.of(), sequence));
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
