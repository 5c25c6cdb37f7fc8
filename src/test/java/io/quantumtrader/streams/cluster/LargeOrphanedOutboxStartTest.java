package io.quantumtrader.streams.cluster;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.CommitOptions;
import io.quantumtrader.streams.runtime.StartupRetry;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A start with a large orphaned outbox (a removed sub-topology whose forwards failed for a while) forwards it whole and
 * starts: only the outboxes' lengths are start-up steps under StartupRetry's per-attempt timeout. Found in review
 * (2026-12-07) of OrphanedOutboxes: the whole forward was one start-up step, a 400,000-entry outbox timed out attempt
 * after attempt although Redis answered every command, and the start failed as "got no reply from Redis".
 */
class LargeOrphanedOutboxStartTest {

    static final int ENTRIES = 400_000;

    @Test
    @Timeout(300)
    void aLargeOrphanedOutboxDoesNotFailTheStart() {
        RedisConnection redis = RedisTestSupport.redis();
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String outbox = keys.outbox("xrm.1", 0);
        String target = keys.stream("buckets", 0);
        RedisScript<Long> fill = RedisScript.of("for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], '*', "
                + "'qt.outbox.target', ARGV[2], 'qt.outbox.maxlen', '0', 'v', tostring(i)) end return 1", Long.class);
        for (int done = 0; done < ENTRIES; done += 50_000) {
            redis.template().execute(fill, List.of(outbox), List.of(String.valueOf(Math.min(50_000, ENTRIES - done)), target))
                    .blockLast(Duration.ofSeconds(60));
        }
        assertThat(redis.template().opsForStream().size(outbox).block()).isEqualTo(ENTRIES);

        // the default attempt timeout (5 s) and backoff; the overall limit shortened from 2 min to 30 s to keep the test short
        StartupRetry retry = new StartupRetry(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(15),
                Duration.ofSeconds(30));
        try (StreamsRuntime second = new StreamsRuntime(RemovedSubtopologyOutboxTest.topology(false),
                RedisClusterTest.config(ns, "new"), redis.template())
                .withCommitOptions(CommitOptions.defaults().withCrossSlot(CommitOptions.CrossSlot.OUTBOX))
                .withStartupRetry(retry)) {
            assertThatCode(second::start).as("start with an orphaned outbox of %,d entries (Redis answers every command)", ENTRIES)
                    .doesNotThrowAnyException();
            assertThat(redis.template().opsForStream().size(outbox).block()).as("entries left in the orphaned outbox").isZero();
        }
    }
}
