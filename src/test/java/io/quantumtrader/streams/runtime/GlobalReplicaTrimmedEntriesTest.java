package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.T;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.add;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.replica;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task that takes a partition over builds its global-table replica from the stream afresh; what it cannot hold (the
 * entries deleted before it read them) it counts. Found in review (2026-12-07): those entries vanished uncounted, the
 * running replica kept their keys and the new owner did not have them.
 */
class GlobalReplicaTrimmedEntriesTest {


    /**
     * Entries of the table's stream deleted before a replica read them (a producer's XADD MAXLEN, an operator's XTRIM
     * or XDEL: the catalog check covers only the catalog's own trimming) are counted as {@code deleted_before_read},
     * once per read from the start.
     */
    @Test
    void entriesDeletedBeforeAFreshReplicaReadThemAreReported() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = StreamCatalog.defaults();
        String key = new StreamKeys(ns).stream("limits", 0);
        add(key, "1000-1", "e1", "KILL", 1);
        add(key, "1000-2", "e2", "B", 2);
        add(key, "1000-3", "e3", "C", 3);
        GlobalStoreReplica running = replica(ns, catalog, new ArrayList<>());
        running.refresh().block(T);
        assertThat(running.all()).containsOnlyKeys("KILL", "B", "C");
        // a producer's XADD ... MAXLEN 2 (or an XTRIM): the oldest entry goes
        template().opsForStream().trim(key, 2).block(T);

        List<String> skips = new ArrayList<>();
        GlobalStoreReplica afterRebalance = replica(ns, catalog, skips);
        afterRebalance.refresh().block(T);
        assertThat(afterRebalance.all()).containsOnlyKeys("B", "C");
        assertThat(skips).as("the entry deleted before the new replica read it is counted (a silent drop otherwise): "
                + "running has %s, the new owner %s", running.all().keySet(), afterRebalance.all().keySet())
                .containsExactly(GlobalStoreReplica.DELETED_BEFORE_READ);
        afterRebalance.refresh().block(T);
        assertThat(skips).as("reported once").hasSize(1);
    }

    /** The counter grows by each partition's increase only: every run's replica reports the same deletions again. */
    @Test
    void theCounterCountsEachDeletedEntryOnce() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        io.quantumtrader.streams.metrics.StreamsMetrics metrics = new io.quantumtrader.streams.metrics.StreamsMetrics(registry, "app");
        metrics.globalEntriesDeletedBeforeRead("limits-table", "k0", 3);
        metrics.globalEntriesDeletedBeforeRead("limits-table", "k0", 3);
        metrics.globalEntriesDeletedBeforeRead("limits-table", "k0", 5);
        metrics.globalEntriesDeletedBeforeRead("limits-table", "k1", 1);
        assertThat(registry.get("qt.streams.global.entries.skipped").tag("reason", "deleted_before_read").counter().count())
                .isEqualTo(6);
    }
}
