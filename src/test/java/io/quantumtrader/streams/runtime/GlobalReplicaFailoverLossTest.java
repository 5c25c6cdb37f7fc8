package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07, Redis Cluster failover): a Redis Cluster failover that loses the last (unreplicated) entries of a global table's stream partition,
 * which a running replica had already read, on a stream from which entries had been deleted before (retention trim,
 * MAXLEN, XDEL). The promoted replica holds the stream without the lost entries: entries-added and last-generated-id
 * of the replica's copy. The state of the new master is reproduced exactly here on one server (XDEL of the lost
 * entry, then XSETID with the replica's last id, entries-added and max-deleted id), then a producer appends to the new
 * master. global-table-range.lua's reset check compares entries-added with what the replica read, but entries deleted
 * before it read them make entries-added larger than what it read by at least that many: a loss of fewer entries than
 * were deleted is never seen, and the running replica keeps the lost entry's value for ever while a replica started
 * now (another task, a restart) did not have it: two tasks of one topology saw different global tables. Now the check
 * also counts the entries the replica knows were deleted before it read them.
 */
class GlobalReplicaFailoverLossTest {

    private static final Duration T = GlobalReplicaFixture.T;

    @Test
    void aRunningReplicaDropsAnEntryLostInAFailoverOfATrimmedStream() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        // three entries trimmed by retention before the replica started
        add(key, "1000-1", "OLD1", 1);
        add(key, "1000-2", "OLD2", 2);
        add(key, "1000-3", "OLD3", 3);
        template().opsForStream().trim(key, 0).block(T);

        GlobalStoreReplica running = replica(ns);
        running.refresh().block(T);
        add(key, "2000-1", "A", 10);
        add(key, "2000-2", "LOST", 20);   // appended, read by the replica, not replicated yet
        running.refresh().block(T);
        assertThat(running.all()).containsOnlyKeys("A", "LOST");

        // the master fails; its replica, promoted, holds the stream as it was before 2000-2: 4 entries ever added
        template().opsForStream().delete(key, "2000-2").block(T);
        template().execute(RedisScript.of("return redis.call('XSETID', KEYS[1], '2000-1', 'ENTRIESADDED', 4, "
                + "'MAXDELETEDID', '1000-3')", String.class), List.of(key)).blockFirst(T);
        // a producer appends to the new master (ids above the lost one: the clock went on during the failover)
        add(key, "3000-1", "B", 30);

        running.refresh().block(T);
        GlobalStoreReplica fresh = replica(ns);
        fresh.refresh().block(T);
        assertThat(fresh.all()).as("what the stream holds now").containsOnlyKeys("A", "B");
        assertThat(running.all())
                .as("the running replica holds what the stream (and every replica started now) holds: the entry the "
                        + "failover lost is not in the table")
                .containsOnlyKeys("A", "B");
    }

    /** Control (passes today): the same loss on a stream nothing was ever deleted from is seen and read again. */
    @Test
    void controlWithoutEarlierDeletionsTheLossIsSeen() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        GlobalStoreReplica running = replica(ns);
        add(key, "2000-1", "A", 10);
        add(key, "2000-2", "LOST", 20);
        running.refresh().block(T);
        template().opsForStream().delete(key, "2000-2").block(T);
        template().execute(RedisScript.of("return redis.call('XSETID', KEYS[1], '2000-1', 'ENTRIESADDED', 1)",
                String.class), List.of(key)).blockFirst(T);
        add(key, "3000-1", "B", 30);
        running.refresh().block(T);
        assertThat(running.all()).containsOnlyKeys("A", "B");
    }

    private static GlobalStoreReplica replica(String ns) {
        return GlobalReplicaFixture.replica(ns, StreamCatalog.defaults(), new java.util.ArrayList<>());
    }

    private static void add(String key, String id, String symbol, double max) {
        GlobalReplicaFixture.add(key, id, "e-" + id, symbol, max);
    }
}
