package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restarted task counts what its processors restore in {@code init} — records they hold, kept in a store — in the
 * watermark of its first batch, also when no record of that batch reaches them. Before (review of 2026-12-06) the
 * processors were initialized by the first punctuation tick or the first record reaching them: a first batch read
 * before the first tick (a busy instance's parallel threads delay the tick; here the test holds it back) was processed
 * with the holder not initialized, and its commit published a watermark past the record the holder had restored.
 */
class RestoredHoldTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    /**
     * Holds records whose value starts with "H" in its store (value → timestamp) and restores them in init; a record
     * starting with "R" forwards them first, at their own timestamps and in their order, then itself
     * ({@link RestartedHoldTest}).
     */
    static final class StoreHolder implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> ctx;
        private KeyValueStore<String, String> store;
        /** What it holds: restored from the store in init, kept with it. */
        private final Map<String, Long> held = new java.util.HashMap<>();

        @Override
        public void init(ProcessorContext<String, String> context) {
            ctx = context;
            store = context.getStateStore("held");
            store.all().forEach((value, time) -> held.put(value, Long.parseLong(time)));
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value().startsWith("H")) {
                store.put(record.value(), Long.toString(record.timestamp()));
                held.put(record.value(), record.timestamp());
                return;
            }
            if (record.value().startsWith("R")) {
                held.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.naturalOrder())).forEach(h -> {
                    ctx.forward(record.withValue(h.getKey()).withTimestamp(h.getValue()));
                    store.delete(h.getKey());
                });
                held.clear();
            }
            ctx.forward(record);
        }

        @Override
        public long earliestHeldTimestamp() {
            return held.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        }
    }

    /** raw → drops "X…" → (holder: holds "H…" in store "held") → mid. */
    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("restored");
        b.addStateStore(StoreSpec.keyValueStore("held", String.class));
        b.stream("raw", String.class)
                .filter((k, v) -> !v.startsWith("X"), Named.as("drop-x"))
                .process(StoreHolder::new, Named.as("holder"), "held")
                .to("mid");
        return b.build();
    }

    @Test
    void aRestartedTasksFirstBatchCountsTheHoldItsProcessorRestores() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), keys, StreamCatalog.defaults(), "raw-feed");
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withBatchSize(10).withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        try (StreamsRuntime first = new StreamsRuntime(topology(), config, RedisTestSupport.template())) {
            first.start();
            feed.sendAll(Flux.just(new EventPublisher.Event("raw", "k", "H1", BASE + 1_000)), 1, false).block();
            assertThat(first.awaitDrained(Duration.ofSeconds(30))).as("%s", first.undrained()).isTrue();
            assertThat(watermark(keys)).as("held H1 (1 s): the watermark stays below it").isLessThan(BASE + 1_000);
        }
        // read by the restarted task's first read: X (10 s) moves stream time to 10 s and reaches no holder
        feed.sendAll(Flux.just(new EventPublisher.Event("raw", "k", "X", BASE + 10_000)), 1, false).block();
        // the restarted task's punctuation ticks are held back until its first batch is prepared (hook below): its
        // first batch comes before its first tick, as on an instance whose parallel threads are busy
        AtomicBoolean firstBatchPrepared = new AtomicBoolean();
        Schedulers.onScheduleHook(RestoredHoldTest.class.getName(), task -> {
            if (!task.getClass().getName().contains("FluxInterval")) {
                return task;
            }
            return () -> {
                if (firstBatchPrepared.get()) {
                    task.run();
                }
            };
        });
        try (StreamsRuntime restarted = new StreamsRuntime(topology(),
                config.withBeforeCommit((task, entries) -> {
                    if (entries > 0) {
                        firstBatchPrepared.set(true);
                    }
                    return Mono.empty();
                }), RedisTestSupport.template())) {
            restarted.start();
            assertThat(restarted.awaitDrained(Duration.ofSeconds(30))).as("%s", restarted.undrained()).isTrue();
            assertThat(firstBatchPrepared).as("the first batch was processed").isTrue();
            assertThat(watermark(keys)).as("H1 (1 s) is still held: the restarted task's watermark stays below it")
                    .isLessThan(BASE + 1_000);
        } finally {
            Schedulers.resetOnScheduleHook(RestoredHoldTest.class.getName());
        }
    }

    private static long watermark(StreamKeys keys) {
        Object w = RedisTestSupport.template().opsForHash().get(keys.watermarks("mid", 0), "restored:0_0").block();
        assertThat(w).as("the holder task's watermark in mid").isNotNull();
        return Long.parseLong(String.valueOf(w));
    }
}
