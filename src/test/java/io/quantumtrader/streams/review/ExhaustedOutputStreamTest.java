package io.quantumtrader.streams.review;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * REVIEW (throwaway): commit.lua promises "nothing may fail after the first write" (every check before it), but an
 * XADD '*' into an output stream whose last id is the largest possible id (18446744073709551615-18446744073709551615,
 * which anybody can XADD explicitly) fails with "ERR The stream has exhausted the last possible ID" after the state
 * writes and the outputs to the streams before it were made. Nothing is acknowledged and commit-seq does not move, so
 * the task restarts, processes the batch again and appends the same outputs again, for ever.
 */
@Timeout(60)
class ExhaustedOutputStreamTest {

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("exhaust-review");
        EventStream<String, String> in = b.stream("x-in", String.class);
        in.mapValues(v -> v + "-a", Named.as("to-a")).to("x-a");
        in.mapValues(v -> v + "-b", Named.as("to-b")).to("x-b");
        return b.build();
    }

    @Test
    void aCommitIntoAnExhaustedStreamWritesNothing() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        // a foreign writer (or a bug) puts the largest id into x-b
        RedisTestSupport.template().opsForStream().add(MapRecord.create(keys.stream("x-b", 0), Map.of("x", "y"))
                .withId(RecordId.of("18446744073709551615-18446744073709551615"))).block();
        new EventPublisher(RedisTestSupport.template(), keys, StreamCatalog.defaults(), "feed")
                .sendAll(Flux.fromIterable(List.of(new Event("x-in", "k", "v1", 1_000_000_000_000L, "e-1"))), 10).block();
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), StreamsConfig.defaults().withNamespace(ns),
                RedisTestSupport.template())) {
            runtime.start();
            Thread.sleep(5_000);
            long a = RedisTestSupport.length(ns, "x-a", 0);
            System.out.println("REVIEW x-a length after 5 s: " + a + ", restarts " + runtime.counters().restarts()
                    + ", commits " + runtime.counters().commits());
            assertThat(a).as("outputs of a commit that failed (x-a written before x-b's XADD failed)").isLessThanOrEqualTo(1);
        }
    }
}
