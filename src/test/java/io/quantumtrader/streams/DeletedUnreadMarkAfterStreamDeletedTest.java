package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.DeletedUnreadTotals;
import io.quantumtrader.streams.redis.PartitionReader;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deleted-unread mark (the highest XDEL'd id reported for a group) does not outlive its stream. A stream deleted
 * (its groups gone with it) and created again under the same key starts with ids of its own; before 2026-12-06 the
 * old mark stayed in the stream's deleted-unread hash, and an entry of the new stream deleted before the group read it
 * was reported only if its id was above the old mark: here none was, and the loss was silent. Creating the group on
 * a stream that never had an entry deleted now clears the mark.
 */
class DeletedUnreadMarkAfterStreamDeletedTest {

    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void anEntryDeletedUnreadInTheStreamCreatedAgainIsReported() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String key = keys.stream("ticks", 0);
        StreamAdmin admin = new StreamAdmin(template());

        // the first stream: ids far ahead (explicit), its last entry deleted before the group read it
        admin.ensureGroup(key, "pricing.0").block(T);
        addAll(key, "5000000000000-1", "5000000000000-2", "5000000000000-3");
        template().opsForStream().delete(key, "5000000000000-3").block(T);
        assertThat(read(ns, key, "7", 2, DeletedUnreadTotals.NONE)).as("one report of an unknown number")
                .containsExactly("ticks:1");

        // deleted with its group; created again (the group first, as a start does), ids of its own; the group reads
        // two, then the newest is deleted before it reads it (an XDEL, not a trim: the group is past the first entry)
        template().delete(key).block(T);
        admin.ensureGroup(key, "pricing.0").block(T);
        addAll(key, "1000-1", "1000-2", "1000-3", "1000-4");
        DeletedUnreadTotals before = new DeletedUnreadTotals(0, 1);
        assertThat(read(ns, key, "8", 2, before)).isEmpty();
        template().opsForStream().delete(key, "1000-4").block(T);
        assertThat(read(ns, key, "9", 1, before)).as("the new stream's loss is reported too").containsExactly("ticks:1");
        assertThat(RedisTestSupport.length(ns, "ticks.dlq", 0)).isEqualTo(2);
    }

    private static void addAll(String key, String... ids) {
        for (String id : ids) {
            MapRecord<String, String, String> r = StreamRecords.newRecord().in(key).ofMap(Map.of("n", id))
                    .withId(RecordId.of(id));
            template().opsForStream().add(r).block(T);
        }
    }

    /**
     * Reads {@code n} entries through the script read, lease token {@code token}, the group's totals counted before
     * being {@code counted}. @return what it reported
     */
    private static List<String> read(String ns, String key, String token, int n, DeletedUnreadTotals counted) {
        String lease = new StreamKeys(ns).lease("pricing.0", 0);
        template().opsForValue().set(lease, token).block(T);
        List<String> reported = new CopyOnWriteArrayList<>();
        PartitionReader reader = new PartitionReader(template(), "pricing.0", "c1", Map.of(key, "ticks"), 0, 2,
                Duration.ofMillis(5), Duration.ofMillis(20), lease, token)
                .reportDeletedUnread("0_0", Map.of(key, counted), (stream, gained) -> reported.add(stream + ":" + gained));
        assertThat(reader.receive().take(n).collectList().block(T)).hasSize(n);
        reader.stop();
        return reported;
    }
}
