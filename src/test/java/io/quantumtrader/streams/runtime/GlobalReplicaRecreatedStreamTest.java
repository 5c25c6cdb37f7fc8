package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.T;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.add;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.replica;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running global-table replica notices its stream deleted and created again, whatever the number of entries, and
 * holds what a replica started now holds. Found in review (2026-12-07): the stream created again with at least as many
 * entries as the replica had seen at its last check went unnoticed, and the replica kept the deleted stream's keys.
 */
class GlobalReplicaRecreatedStreamTest {


    /**
     * The stream deleted and created again with more entries than the replica saw at its last check: before, the
     * running replica kept the deleted stream's keys (a task started now does not have them).
     */
    @Test
    void afterTheStreamWasRecreatedWithMoreEntriesTheReplicaHoldsOnlyTheNewStreamsValues() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        GlobalStoreReplica running = replica(ns, StreamCatalog.defaults(), new ArrayList<>());
        add(key, "1000-1", "e1", "A", 10);
        running.refresh().block(T);
        template().delete(key).block(T);
        add(key, "3000-1", "e2", "C", 30);
        add(key, "3000-2", "e3", "D", 40);
        running.refresh().block(T);
        GlobalStoreReplica fresh = replica(ns, StreamCatalog.defaults(), new ArrayList<>());
        fresh.refresh().block(T);
        assertThat(running.all()).as("as a replica started now").isEqualTo(fresh.all());
    }

    /** Created again with an entry below the first one read and as many entries added: its first id gives it away. */
    @Test
    void afterTheStreamWasRecreatedWithAnEarlierFirstEntryTheReplicaHoldsOnlyTheNewStreamsValues() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        GlobalStoreReplica running = replica(ns, StreamCatalog.defaults(), new ArrayList<>());
        add(key, "1000-1", "e1", "A", 10);
        running.refresh().block(T);
        template().delete(key).block(T);
        add(key, "500-1", "e2", "C", 30);
        add(key, "2000-1", "e3", "D", 40);
        running.refresh().block(T);
        assertThat(running.all()).containsOnlyKeys("C", "D");
    }

    /** Entries trimmed or deleted from the same stream are no recreation: the replica reads on, no read from the start. */
    @Test
    void trimmedOrDeletedEntriesAreNoRecreation() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        GlobalStoreReplica running = replica(ns, StreamCatalog.defaults(), new ArrayList<>());
        add(key, "1000-1", "e1", "A", 10);
        add(key, "1000-2", "e2", "B", 20);
        add(key, "1000-3", "e3", "C", 30);
        running.refresh().block(T);
        template().opsForStream().trim(key, 1).block(T);
        add(key, "2000-1", "e4", "D", 40);
        add(key, "2000-2", "e5", "E", 50);
        template().opsForStream().delete(key, "2000-1").block(T);
        running.refresh().block(T);
        assertThat(running.all()).as("read on from the last id: the trimmed entries' values kept")
                .containsOnlyKeys("A", "B", "C", "E");
        template().opsForStream().delete(key, "1000-3", "2000-2").block(T);
        add(key, "3000-1", "e6", "F", 60);
        running.refresh().block(T);
        assertThat(running.all()).containsOnlyKeys("A", "B", "C", "E", "F");
    }
}
