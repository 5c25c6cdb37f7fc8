package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.GlobalReplicaFixture.Limit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.T;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.add;
import static io.quantumtrader.streams.runtime.GlobalReplicaFixture.replica;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A global table's replica skips a repeated event (same source and id) within the dedupe window only, by its entries'
 * arrival, as a source's dedupe does for {@code table()}. Found in review (2026-12-07): the replica kept the last
 * {@code dedupe-max-ids} event ids whatever their age, so a repeat after the window, which {@code table()} applies, was
 * skipped as a duplicate in the global table only.
 */
class GlobalReplicaDedupeWindowTest {

    static final long BASE = 1_000_000_000_000L;

    @Test
    void aRepeatAfterTheDedupeWindowIsAppliedOneWithinItSkipped() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = StreamCatalog.defaults();
        String key = new StreamKeys(ns).stream("limits", 0);
        add(key, BASE + "-1", "e1", "S", 10);
        add(key, (BASE + Duration.ofMinutes(30).toMillis()) + "-1", "e2", "S", 20);
        add(key, (BASE + Duration.ofMinutes(105).toMillis()) + "-1", "e4", "U", 40);  // e1 is out of the window now
        add(key, (BASE + Duration.ofHours(2).toMillis()) + "-1", "e1", "S", 10);      // e1 again, 2 h later
        add(key, (BASE + Duration.ofHours(2).toMillis() + 1_000) + "-1", "e3", "T", 30);
        add(key, (BASE + Duration.ofHours(2).toMillis() + 2_000) + "-1", "e3", "T", 31); // e3 again, 1 s later
        List<String> skips = new ArrayList<>();
        GlobalStoreReplica replica = replica(ns, catalog, skips,
                IngestLimits.defaults().withDedupe(Duration.ofHours(1), 200_000));
        replica.refresh().block(T);
        assertThat(replica.all().get("S")).as("e1 repeated after the 1 h window: applied, as table() applies it")
                .isEqualTo(new Limit("S", 10));
        assertThat(replica.all().get("T")).as("e3 repeated within the window: skipped").isEqualTo(new Limit("T", 30));
        assertThat(skips).containsExactly(GlobalStoreReplica.DUPLICATE);
    }
}
