package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedupe bound ({@code dedupe-max-ids}) forgets the oldest ids first, in the order the task processed them, after a
 * restart as before it. Found in review (2026-12-07): the log in Redis keeps every id of the commits the newest max-ids
 * need, all ids of one commit carry one arrival (the commit's newest), and the load re-added them sorted by that
 * arrival, ties in HashMap order: a log over the bound (by up to one commit, always once full) forgot an arbitrary id
 * of its oldest commit instead of its oldest, one remembered before the restart, and a producer's retry of that event
 * after the restart was processed again.
 */
class DedupeRestartOrderTest {

    private static final String APP = "dedupe";

    @Test
    void theIdsRememberedBeforeARestartAreRememberedAfterIt() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns)
                .withIngest(StreamsConfig.defaults().ingest().withDedupe(Duration.ofHours(1), 10));
        for (int n = 1; n <= 10; n++) {
            DedupeLogTest.xadd(ns, "feed-" + n, n);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(DedupeLogTest.topology(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();   // one commit: feed-1 .. feed-10
            DedupeLogTest.xadd(ns, "feed-11", 11);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();   // a second commit: feed-11
            assertThat(runtime.counters().recordsIn()).isEqualTo(11);
            // the bound of 10 now remembers feed-2 .. feed-11 (feed-1, the oldest, is forgotten)
        }

        // a producer retries its ten newest events, after the restart
        for (int n = 2; n <= 11; n++) {
            DedupeLogTest.xadd(ns, "feed-" + n, n);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(DedupeLogTest.topology(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().duplicates()).as("retries of the ten newest ids, all remembered").isEqualTo(10);
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).as("each event processed once").isEqualTo(11);
    }

    /**
     * The meta hash's count of the ids in the dedupe log ({@code dedupe-ids}) left behind when the log itself went
     * (deleted with a group made again for another source, {@code create-group.lua}; an eviction; an operator): the
     * first commit after it trimmed its own element, the log's "oldest commit" beyond the bound, and its ids were not
     * recognized after a restart (found in review, 2026-12-07). The commit now counts the log afresh when its element is
     * the only one.
     */
    @Test
    void aCountLeftWithoutItsLogDoesNotTrimTheFirstCommitAfterIt() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns)
                .withIngest(StreamsConfig.defaults().ingest().withDedupe(Duration.ofHours(1), 10));
        template().opsForHash().put(keys.meta(APP + ".0", 0), "dedupe-ids", "1000000").block();   // its log is gone
        for (int n = 1; n <= 5; n++) {
            DedupeLogTest.xadd(ns, "feed-" + n, n);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(DedupeLogTest.topology(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().recordsIn()).isEqualTo(5);
        }
        for (int n = 1; n <= 5; n++) {
            DedupeLogTest.xadd(ns, "feed-" + n, n);   // a producer's retry, after the restart
        }
        try (StreamsRuntime runtime = new StreamsRuntime(DedupeLogTest.topology(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().duplicates()).as("the retries, recognized").isEqualTo(5);
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).as("each event processed once").isEqualTo(5);
        assertThat(template().<String, String>opsForHash().get(keys.meta(APP + ".0", 0), "dedupe-ids").block())
                .as("the count, of the log again").isEqualTo("5");
    }


}
