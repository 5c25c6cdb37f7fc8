package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07, scale-out): a task that moves to another instance (or restarts) runs its processors' stream-time
 * punctuations again at the first record after the move, although stream time (restored from the task's meta hash)
 * has not crossed the schedule's next interval: the schedule is re-armed at 0 ("punctuate as soon as we have data")
 * in init. A punctuator that forwards (a periodic bar, a snapshot) writes one extra record per move/restart; the same
 * input processed without a move writes none. The end-of-input punctuation is already protected against this
 * (EndOfInputPunctuationTest); the regular intervals are not.
 */
class StreamTimePunctuationAfterMoveTest {

    static final long BASE = 1_000_000_000_000L;

    static Topology ticker() {
        TopologyBuilder b = new TopologyBuilder("ticker-move");
        b.stream("in", String.class).process(Ticker::new, Named.as("ticker")).to("out");
        return b.build();
    }

    static final class Ticker implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> ctx;

        @Override
        public void init(ProcessorContext<String, String> context) {
            ctx = context;
            context.schedule(Duration.ofSeconds(10), PunctuationType.STREAM_TIME,
                    t -> ctx.forward(new Record<>("k", "fire@" + (t == Long.MAX_VALUE ? "end" : t - BASE), t, null, null)));
        }

        @Override
        public void process(Record<String, String> record) {
            ctx.forward(record);
        }
    }

    static StreamsConfig config(String ns, String id) {
        return StreamsConfig.defaults().withNamespace(ns).withInstanceId(id).withCatalog(StreamCatalog.defaults())
                .withLeaseTtl(Duration.ofSeconds(2));
    }

    @Test
    void aMoveDoesNotAddAStreamTimePunctuation() {
        String ns = RedisTestSupport.freshNamespace();
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        try (StreamsRuntime a = new StreamsRuntime(ticker(), config(ns, "a"), RedisTestSupport.template())) {
            a.start();
            feed.sendAll(Flux.just(new EventPublisher.Event("in", "k", "a", BASE),
                    new EventPublisher.Event("in", "k", "b", BASE + 15_000)), 2).block();
            assertThat(a.awaitDrained(Duration.ofSeconds(30))).isTrue();
        }
        // the task moves to instance b (a left); the stream goes on, 1 s of stream time later
        try (StreamsRuntime b = new StreamsRuntime(ticker(), config(ns, "b"), RedisTestSupport.template())) {
            b.start();
            feed.sendAll(Flux.just(new EventPublisher.Event("in", "k", "c", BASE + 16_000)), 1).block();
            assertThat(b.awaitDrained(Duration.ofSeconds(30))).isTrue();
        }
        // without the move: a, fire@0, b, fire@15000 (next due at 20000), c
        assertThat(RedisTestSupport.stringValues(ns, "out", 0)).as("outputs across the move")
                .containsExactly("a", "fire@0", "b", "fire@15000", "c");
    }
}
