package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention arrival marks ({@link StreamKeys#arrivals}) after the stream's ids are reset. A stream whose ids ran ahead
 * of the clock gets a mark (its last id, when a trim pass saw it); the documented fix for such a stream
 * (docs/OPERATIONS.md: {@code XDEL} the entries and {@code XSETID <key> <id> MAXDELETEDID <id>} below them, or delete
 * the stream) makes its ids small again while the marks key lives on (up to 2 x retention + 60 s). Before 2026-12-06,
 * once the mark was older than the retention, every pass trimmed up to it: every entry of the stream, whenever it
 * arrived (a dead-letter stream, retention 30 d, no group: every dead letter of the 30 days after the fix). Found in
 * review 2026-12-06; the first two tests are the reviewer's, the third covers a re-created stream whose ids went past
 * the old mark before any pass saw it.
 */
class RetentionMarkAfterIdResetTest {

    private final StreamAdmin admin = new StreamAdmin(template());

    /** Time line in ms (the test's "Redis clock"): an entry an hour ahead of 1,000,000, marked by the pass then. */
    private String markedDeadLetterStream() {
        String key = new StreamKeys(RedisTestSupport.freshNamespace()).stream("ticks.dlq", 0);
        for (int i = 1; i <= 5; i++) {
            add(key, 990_000L + i);
        }
        add(key, 4_600_000L);
        assertThat(admin.trimByRetentionAt(key, Duration.ofSeconds(1), 1_000_000L).block()).as("older than 999,000").isEqualTo(5);
        assertThat(template().hasKey(StreamKeys.arrivals(key)).block()).as("the pass marked the id ahead").isTrue();
        return key;
    }

    @Test
    void deadLettersWithinRetentionSurviveAfterTheStreamWasDeletedAndWrittenAgain() {
        String key = markedDeadLetterStream();
        template().delete(key).block();   // OPERATIONS.md: "... or delete the stream"; new dead letters arrive
        for (int i = 0; i < 3; i++) {
            add(key, 1_001_500L + i);
        }
        // at 1,002,000 with a retention of 1 s the cut-off is 1,001,000: the three arrived at 1,001,500+, within it
        assertThat(admin.trimByRetentionAt(key, Duration.ofSeconds(1), 1_002_000L).block())
                .as("entries removed although they arrived within the retention").isZero();
        assertThat(admin.length(key).block()).isEqualTo(3);
        // and retention goes on by the ids: at 1,003,000 the cut-off 1,002,000 is past all three
        assertThat(admin.trimByRetentionAt(key, Duration.ofSeconds(1), 1_003_000L).block()).isEqualTo(3);
    }

    @Test
    void entriesWithinRetentionSurviveTheDocumentedXsetidFixOnRedisClock() throws InterruptedException {
        String key = new StreamKeys(RedisTestSupport.freshNamespace()).stream("out", 0);
        long ahead = System.currentTimeMillis() + 600_000L;
        add(key, ahead);
        assertThat(admin.trimByRetention(key, Duration.ofSeconds(1)).block()).isZero();   // Redis' clock; marks it
        Thread.sleep(1_500);   // the mark is now older than the retention
        // the documented fix: XDEL the entry, XSETID below it with MAXDELETEDID
        template().execute(RedisScript.of("redis.call('XDEL', KEYS[1], ARGV[1]); "
                        + "return redis.call('XSETID', KEYS[1], '1-0', 'MAXDELETEDID', '1-0')", Object.class),
                List.of(key), List.of(ahead + "-0")).blockLast();
        for (int i = 0; i < 3; i++) {
            template().opsForStream().add(MapRecord.create(key, Map.of("n", "" + i))).block();   // XADD *: arrive now
        }
        assertThat(admin.trimByRetention(key, Duration.ofSeconds(1)).block())
                .as("entries that arrived just now, removed by a 1 s retention").isZero();
        assertThat(admin.length(key).block()).isEqualTo(3);
    }

    /**
     * The stream deleted and written again, its ids ahead of the old mark by the next pass (a writer still choosing
     * ids an hour ahead): the last id no longer tells the reset, the count of entries ever added does.
     */
    @Test
    void aStreamWrittenAgainPastTheOldMarkBeforeAPassKeepsItsEntriesWithinRetention() {
        String key = markedDeadLetterStream();   // 6 entries ever added, mark 4,600,000-0 at 1,000,000
        template().delete(key).block();
        for (int i = 0; i < 3; i++) {
            add(key, 1_001_500L + i);
        }
        add(key, 4_700_000L);   // past the old mark
        assertThat(admin.trimByRetentionAt(key, Duration.ofSeconds(1), 1_002_000L).block())
                .as("entries removed although they arrived within the retention").isZero();
        assertThat(admin.length(key).block()).isEqualTo(4);
        // the new stream's own mark (4,700,000-0 seen at 1,002,000) trims once the retention has passed
        assertThat(admin.trimByRetentionAt(key, Duration.ofSeconds(1), 1_003_500L).block()).isEqualTo(3);
        assertThat(admin.length(key).block()).as("the last entry itself is kept, as before").isEqualTo(1);
    }

    private static void add(String key, long ms) {
        template().opsForStream().add(MapRecord.create(key, Map.of("n", Long.toString(ms))).withId(RecordId.of(ms, 0))).block();
    }
}
