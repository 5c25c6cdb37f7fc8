package io.quantumtrader.streams.scaleout;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.runtime.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Found in review (2026-12-07, scale-out): a task handed over to another instance while event-time alignment held records and had paused
 * one of its inputs keeps reporting, on the instance it left, the records held and the paused input of its last run:
 * health details (group.pausedInputs), {@code undrained()}, and the gauges {@code qt.streams.task.aligner.held} /
 * {@code qt.streams.task.input.paused} show a task that no longer runs here as holding records and paused.
 */
@Timeout(120)
class HandedOverTaskAlignmentStateTest {

    static final long BASE = 1_000_000_000_000L;
    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, 2, 0, null), Map.of());

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("handed-over-held");
        b.stream("busy", String.class).merge(b.stream("quiet", String.class), Named.as("both")).to("out");
        return b.build();
    }

    static StreamsRuntime instance(String ns, String id) {
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId(id).withCatalog(CATALOG)
                .withBatchSize(200).withLeaseTtl(Duration.ofSeconds(2))
                .withPunctuationInterval(Duration.ofMillis(100))
                .withAlignment(InputAlignment.byWatermarks().withMaxHeldPerInput(500));
        StreamsRuntime r = new StreamsRuntime(topology(), config, RedisTestSupport.template());
        r.start();
        return r;
    }

    /** What a test checks on instance a once one of its tasks runs on instance b. */
    @FunctionalInterface
    interface AfterHandOver {
        void check(StreamsRuntime a, StreamTask moved) throws Exception;
    }

    /**
     * Instance a runs every task, with event-time alignment holding busy records and their reads paused (a quiet input
     * without a watermark); instance b starts and takes one of them over; then {@code check} runs.
     */
    static void afterHandOver(AfterHandOver check) throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        new EventPublisher(RedisTestSupport.template(), keys, CATALOG, "busy-feed")
                .sendAll(Flux.range(0, 20_000).map(i -> new Event("busy", "k" + (i % 16), "b" + i, BASE + 2L * i, "b-" + i)), 1_000)
                .block();
        // quiet: one record per key, no watermark: every busy record after it is held
        new EventPublisher(RedisTestSupport.template(), keys, CATALOG, "quiet-feed")
                .sendAll(Flux.range(0, 16).map(i -> new Event("quiet", "k" + i, "q" + i, BASE + 10_001, "q-" + i)), 16)
                .block();
        StreamsRuntime a = instance(ns, "a");
        StreamsRuntime b = null;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> a.tasks().stream().allMatch(t -> t.pausedInputs().contains("busy")));
            b = instance(ns, "b");
            await().atMost(Duration.ofSeconds(30)).until(() -> a.tasks().stream().anyMatch(t -> t.state() == TaskState.REVOKED));
            StreamTask moved = a.tasks().stream().filter(t -> t.state() == TaskState.REVOKED).findFirst().orElseThrow();
            StreamsRuntime other = b;
            await().atMost(Duration.ofSeconds(30)).until(() -> other.tasks().stream()
                    .anyMatch(t -> t.id().equals(moved.id()) && t.state() == TaskState.RUNNING));
            assertThat(moved.state()).isEqualTo(TaskState.REVOKED);
            check.check(a, moved);
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }

    @Test
    void aTaskHandedOverReportsNothingHeldOrPausedOnTheInstanceItLeft() throws Exception {
        afterHandOver((a, moved) -> {
            org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
            soft.assertThat(a.group().pausedInputs()).as("health details of instance a: paused inputs of tasks running here")
                    .doesNotContainKey(moved.id());
            soft.assertThat(a.undrained()).as("what keeps instance a from being drained").noneMatch(l -> l.startsWith("task " + moved.id()));
            soft.assertThat(moved.alignerHeld()).as("records held by task %s on instance a, where it no longer runs", moved.id()).isZero();
            soft.assertThat(a.metrics().registry().find("qt.streams.task.input.paused").tag("task", moved.id())
                    .tag("stream", "busy").gauge().value()).as("gauge task.input.paused on instance a").isZero();
            soft.assertAll();
        });
    }
}
