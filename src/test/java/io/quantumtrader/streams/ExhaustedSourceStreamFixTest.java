package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.EventStream;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Found in review (2026-12-08, operator procedures): OPERATIONS.md "a stream whose entry ids are used up": Fix: XDEL the entries at that millisecond and
 * XSETID key id MAXDELETEDID id with an id below them ... then restart. When the used-up stream is a SOURCE whose
 * consumer group already read the entry at the last id, the group's last-delivered-id stays there: every entry
 * written after the documented fix was below it and never delivered, without a word. The group's start now sets such
 * a group back to the stream's last id (create-group.lua, a WARN).
 */
@Timeout(90)
class ExhaustedSourceStreamFixTest {

    static final String LAST_ID = "18446744073709551615-18446744073709551615";
    private static final Duration T = Duration.ofSeconds(30);

    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder("exhsrc");
        EventStream<String, String> in = b.stream("x-in", String.class);
        in.mapValues(v -> v + "-a", Named.as("to-a")).to("x-a");
        return b.build();
    }

    @Test
    void theDocumentedXsetidFixOfAUsedUpSourceStreamLetsNewEntriesBeProcessed() {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        String xin = new StreamKeys(ns).stream("x-in", 0);
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns);
        var publisher = RedisTestSupport.publisher(ns, StreamCatalog.defaults());
        publisher.sendAll(Flux.just(new Event("x-in", "k", "v0", 1_000_000_000_000L, "e-0")), 10).block(T);
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, redis)) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
            // a foreign writer (or a bug) puts an entry at the last id: the group reads it (dead-lettered)
            redis.opsForStream().add(MapRecord.create(xin, Map.of("x", "y")).withId(RecordId.of(LAST_ID))).block(T);
            await().atMost(Duration.ofSeconds(20)).until(() -> RedisTestSupport.length(ns, "x-in.dlq", 0) > 0);
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        // the documented fix: XDEL the entries at that millisecond, XSETID back below them with MAXDELETEDID
        redis.opsForStream().delete(xin, LAST_ID).block(T);
        String lastId = redis.opsForStream().range(xin, org.springframework.data.domain.Range.unbounded())
                .last().block(T).getId().getValue();
        redis.execute(RedisScript.of("return redis.call('XSETID', KEYS[1], ARGV[1], 'MAXDELETEDID', ARGV[1])",
                String.class), List.of(xin), List.of(lastId)).blockLast(T);
        // then restart, and the producer publishes again
        publisher.sendAll(Flux.just(new Event("x-in", "k", "v1", 1_000_000_001_000L, "e-1")), 10).block(T);
        try (StreamsRuntime fixed = new StreamsRuntime(topology(), config, redis)) {
            fixed.start();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(RedisTestSupport.values(ns, "x-a", 0, String.class))
                            .as("the entry published after the documented fix is processed")
                            .containsExactly("v0-a", "v1-a"));
        }
    }
}
