package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
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

    static final long BASE = EndOfInputPunctuationTest.BASE;

    /** The end-of-input test's ticker (forwards each record, {@code fire@…} every 10 s of stream time) in its own application. */
    static Topology ticker() {
        TopologyBuilder b = new TopologyBuilder("ticker-move");
        b.stream("in", String.class).process(EndOfInputPunctuationTest.Ticker::new, Named.as("ticker")).to("out");
        return b.build();
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
