package io.quantumtrader.streams.alignment;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end of input's stream-time punctuation (Stage.END_OF_INPUT) runs once per run of the task, not once: a task
 * restarted after its inputs ended (a rebalance, a new deployment) runs it again, and a punctuator that forwards writes
 * its end-of-input record a second time (EndOfInputPunctuationTest checks one run only). Found in review (2026-12-07);
 * the commit that publishes the end now records it in the task's meta hash, and a later run does not punctuate again.
 */
@Timeout(120)
class EndOfInputAfterRestartTest {

    static final long BASE = EventTimeAlignmentTest.BASE;

    @Test
    void theEndsPunctuationIsNotRunAgainByARestartedTask() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(StreamCatalog.defaults())
                .withPunctuationInterval(Duration.ofMillis(50)).withAlignment(InputAlignment.byWatermarks());
        EventPublisher feed = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), StreamCatalog.defaults(), "feed");
        try (StreamsRuntime runtime = new StreamsRuntime(EndOfInputPunctuationTest.ticker(), config, RedisTestSupport.template())) {
            runtime.start();
            feed.sendAll(Flux.just(new EventPublisher.Event("in", "k", "a", BASE),
                    new EventPublisher.Event("in", "k", "b", BASE + 15_000)), 2, true).block();
            feed.watermark("in", Long.MAX_VALUE).block();
            runtime.inputEnded("in");
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            Thread.sleep(500);
        }
        assertThat(RedisTestSupport.stringValues(ns, "out", 0)).containsExactly("a", "fire@0", "b", "fire@15000", "fire@end");
        try (StreamsRuntime restarted = new StreamsRuntime(EndOfInputPunctuationTest.ticker(), config, RedisTestSupport.template())) {
            restarted.start();
            assertThat(restarted.awaitDrained(Duration.ofSeconds(30))).isTrue();
            Thread.sleep(1_000);   // twenty punctuation ticks
        }
        assertThat(RedisTestSupport.stringValues(ns, "out", 0)).as("nothing new after a restart")
                .containsExactly("a", "fire@0", "b", "fire@15000", "fire@end");
    }
}
