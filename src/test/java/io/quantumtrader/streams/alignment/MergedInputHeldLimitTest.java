package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A merged input (a repartition stream several producer tasks write) is read past the hold bound only while the next
 * record waits for that input itself. Found in review (2026-12-07): its reads were never paused while a watermark read
 * for it waited for entries not read yet, even when every held record waited for another input: a task held all
 * 20,001 records of such an input while waiting for a quiet input without a watermark. Here 4,000 records gathered
 * from four partitions wait behind a quiet input's record: the task holds about the bound, not the backlog, and once the
 * quiet input ends every record goes out once.
 */
@Timeout(120)
class MergedInputHeldLimitTest {

    static final int RECORDS = 4_000;
    static final int LIMIT = 500;
    static final int BATCH = 100;

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("merged-held");
        b.stream("in", String.class).repartition(String.class, (k, v) -> "all", Named.as("gather"))
                .merge(b.stream("quiet", String.class), Named.as("both")).to("out");
        return b.build();
    }

    @Test
    void aMergedInputWaitingForAnotherInputIsPausedAtTheBound() throws Exception {
        StreamCatalog catalog = EventTimeAlignmentTest.inOnFourPartitions();
        List<String> keys = EventTimeAlignmentTest.threeKeysNotInPartition3();
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys streamKeys = new StreamKeys(ns);
        long base = EventTimeAlignmentTest.BASE;
        EventPublisher quiet = new EventPublisher(RedisTestSupport.template(), streamKeys, catalog, "quiet-feed");
        quiet.sendAll(Flux.just(new Event("quiet", "all", "q0", base + 100_001, "q-0")), 1, false).block();   // no watermark
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), streamKeys, catalog, "feed");
        feed.sendAll(Flux.range(0, RECORDS).map(i -> new Event("in", keys.get(i % keys.size()), "i" + i,
                        base + 100L * i, "in-" + i)), 500, true).block();
        StreamsConfig config = EventTimeAlignmentTest.aligned(ns, catalog, BATCH)
                .withAlignment(InputAlignment.byWatermarks().withMaxHeldPerInput(LIMIT));
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            runtime.start();
            StreamTask gathering = runtime.tasks().stream().filter(t -> t.taskId().subtopology() == 1).findFirst().orElseThrow();
            // the bound plus two batches, and what was read while the next record waited for the merged input's own
            // watermark (read for entries not read yet: exempt from the bound, InputAligner.releaseNeedsReadsOf). That
            // part grows while the four producers' watermarks lag: 1,049 held in a fresh-clone CI run beside other builds
            // (2026-12-08), against 2,999 before the fix: three times the limit
            long bound = 3L * LIMIT;
            // the producers forward everything: 4,000 entries in the gathering task's input
            org.awaitility.Awaitility.await("the producers' commits").atMost(Duration.ofSeconds(60))
                    .until(() -> runtime.tasks().stream().filter(t -> t.taskId().subtopology() == 0)
                            .mapToLong(StreamTask::processed).sum() >= RECORDS);
            org.awaitility.Awaitility.await("q0 and what precedes it out, or more held than the bound")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> RedisTestSupport.length(ns, "out", 0) >= 1_002 || gathering.alignerHeld() > bound);
            long reads = gathering.reads();
            org.awaitility.Awaitility.await("ten more reads, or more held than the bound").atMost(Duration.ofSeconds(60))
                    .until(() -> gathering.reads() >= reads + 10 || gathering.alignerHeld() > bound);
            assertThat(gathering.alignerHeld()).as("held while every record waits for quiet: about the bound, not the "
                    + "%d-record backlog; undrained: %s", RECORDS, runtime.undrained()).isLessThanOrEqualTo(bound);
            assertThat(gathering.pausedInputs()).as("reads of the merged input paused").isNotEmpty();
            assertThat(runtime.undrained()).as("the rest waits in Redis, unread").anyMatch(l -> l.contains(" unread,")
                    && !l.contains(" 0 unread,"));

            quiet.watermark("quiet", Long.MAX_VALUE).block();
            feed.watermark("in", Long.MAX_VALUE).block();   // the input's end: the last gathered record may go
            assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).as("drained; left: %s", runtime.undrained()).isTrue();
            assertThat(RedisTestSupport.stringValues(ns, "out", 0)).as("every record once").hasSize(RECORDS + 1)
                    .doesNotHaveDuplicates();
        }
    }
}
