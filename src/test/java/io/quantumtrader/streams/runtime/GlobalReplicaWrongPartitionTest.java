package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.quantumtrader.streams.runtime.GlobalReplicaFixture.Limit;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.T;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.add;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.replica;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.subjectOfPartition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task that takes a partition over (rebalance, lease expiry, kill -9) builds its global-table replica from the
 * stream afresh; it holds what the replica of the task that left held. Found in review (2026-12-07): an entry in the
 * wrong partition, which a source refuses, was applied by the replica, and a fresh replica and a running one disagreed.
 */
class GlobalReplicaWrongPartitionTest {


    /**
     * An entry in the wrong partition (a producer that partitions otherwise) is skipped as a source refuses it,
     * counted as {@code wrong_partition}: before, a replica that reads incrementally and one that reads the stream
     * whole (partition 0, then 1) applied the key's two values in different orders, and the task that took over
     * joined against the older value.
     */
    @Test
    void aFreshReplicaHoldsWhatTheRunningReplicaHolds_entryInTheWrongPartition() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 2, 0, null), Map.of());
        String k = subjectOfPartition(0, 2);
        String p0 = new StreamKeys(ns).stream("limits", 0);
        String p1 = new StreamKeys(ns).stream("limits", 1);
        List<String> skips = new ArrayList<>();
        GlobalStoreReplica running = replica(ns, catalog, skips);
        running.refresh().block(T);
        add(p1, "1000-1", "e1", k, 10);   // wrong partition: a source of the stream refuses it (wrong_partition)
        running.refresh().block(T);
        add(p0, "2000-1", "e2", k, 20);   // the key's partition, later
        running.refresh().block(T);

        GlobalStoreReplica afterRebalance = replica(ns, catalog, new ArrayList<>());
        afterRebalance.refresh().block(T);
        assertThat(afterRebalance.get(k)).as("the new owner's replica agrees with the old owner's")
                .isEqualTo(running.get(k)).isEqualTo(new Limit(k, 20));
        assertThat(skips).as("the entry in the wrong partition, counted").containsExactly("wrong_partition");
    }

    /** A stream its writer partitions by value is exempt from the partition rule, as at a source. */
    @Test
    void onAStreamPartitionedByValueTheEntryIsApplied() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 2, 0, null), Map.of());
        String k = subjectOfPartition(0, 2);
        add(new StreamKeys(ns).stream("limits", 1), "1000-1", "e1", k, 10);
        List<String> skips = new ArrayList<>();
        GlobalStoreReplica replica = new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits",
                new JsonSerde<>(Limit.class)), template(), new StreamKeys(ns), catalog,
                (store, entry, reason) -> skips.add(reason), IngestLimits.defaults(), Duration.ZERO,
                GlobalStoreReplica.PAGE_TIMEOUT, java.util.Set.of("limits"), java.util.Set.of());
        replica.refresh().block(T);
        assertThat(replica.get(k)).isEqualTo(new Limit(k, 10));
        assertThat(skips).isEmpty();
    }
}
