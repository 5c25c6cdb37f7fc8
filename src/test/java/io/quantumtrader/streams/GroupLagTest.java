package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group's lag when Redis cannot tell it (XINFO GROUPS 'lag' is nil once an entry after the group's position was
 * deleted): counted exactly up to a limit, reported as "at least the limit" beyond it. Before (2026-12-06) the script
 * read the whole backlog in one XRANGE, however long, inside Redis's one thread.
 */
class GroupLagTest {

    @Test
    void aLagRedisCannotTellIsCountedUpToTheLimit() {
        String key = new StreamKeys(RedisTestSupport.freshNamespace()).stream("ticks", 0);
        Flux.range(1, 2_110).concatMap(i -> template().opsForStream().add(MapRecord.create(key, Map.of("n", "" + i))))
                .collectList().block();
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(key, "g").block();
        template().opsForStream().read(Consumer.from("g", "c"), StreamReadOptions.empty().count(5),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
        List<RecordId> all = template().opsForStream().range(key, org.springframework.data.domain.Range.unbounded())
                .map(r -> r.getId()).collectList().block();
        template().opsForStream().delete(key, all.get(9)).block();   // an unread entry: Redis no longer knows the lag

        StreamAdmin.GroupLag exact = admin.groupLag(key, "g").block();
        assertThat(exact.lag()).as("2,110 - 5 read - 1 deleted").isEqualTo(2_104);
        assertThat(exact.lagAtLeast()).isFalse();
        assertThat(exact.pending()).isEqualTo(5);

        StreamAdmin.GroupLag bounded = admin.groupLag(key, "g", 1_000).block();
        assertThat(bounded.lag()).isEqualTo(1_000);
        assertThat(bounded.lagAtLeast()).as("more than the limit are unread").isTrue();

        StreamAdmin.GroupLag atTheLimit = admin.groupLag(key, "g", 2_104).block();
        assertThat(atTheLimit.lag()).isEqualTo(2_104);
        assertThat(atTheLimit.lagAtLeast()).as("exactly the limit: nothing left").isFalse();
    }
}
