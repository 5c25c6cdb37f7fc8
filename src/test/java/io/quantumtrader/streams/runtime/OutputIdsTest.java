package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.record.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
        assertThat(ids.next(free, "sink-x")).isEqualTo(uuid("app/batch-7/sink-x/1"));
        assertThat(ids.next(free, "sink-x")).isEqualTo(uuid("app/batch-7/sink-x/2"));
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
        assertThat(ids.next(kept.withValue("later"), "s")).isNotEqualTo(inItsBatch).isEqualTo(uuid("app/batch/0_0/2/s/1"));
        ids.begin("batch/0_0/3");
        Record<String, String> next = record("ticks", 0, "6-0", 0);
        ids.batchOrigins(List.of(next.origin()));
        assertThat(ids.next(kept, "s")).as("its origin's sequence is taken by another entry of this batch")
                .isEqualTo(uuid("app/batch/0_0/3/s/1"));
    }

    private static Record<String, String> record(String stream, int partition, String entryId, int sequence) {
        return new Record<>("k", "v", 1L, null, new Record.Origin(stream, partition, entryId, Map.of(), sequence));
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
