package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link RetentionTrimmer} on a real Redis: one pass over every stream partition of a topology. */
class RetentionTrimmerTest {

    private static final StreamCatalog ONE_MINUTE = new StreamCatalog(new StreamSpec("*", null, 1, 0, Duration.ofMinutes(1)), Map.of());

    @Test
    void trimsEntriesOlderThanTheRetention() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        RetentionTrimmer trimmer = trimmer(keys);
        String out = keys.stream("out", 0);
        addEntriesOf1970(out);

        StepVerifier.create(trimmer.trimOnce()).expectNext(5L).verifyComplete();
        assertThat(template().opsForStream().size(out).block()).isZero();
    }

    /**
     * Found in review, 2026-12-06: the first partition whose trim failed ended the pass, so every stream after it
     * (here the sink "out") was never trimmed while that one failed.
     */
    @Test
    void aPartitionThatCannotBeTrimmedDoesNotStopThePassButFailsItNamingThePartition() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        RetentionTrimmer trimmer = trimmer(keys);
        String out = keys.stream("out", 0);
        addEntriesOf1970(out);
        String deadLetters = keys.stream(StreamKeys.deadLetter("ticks"), 0);   // trimmed before "out"
        template().opsForValue().set(deadLetters, "not a stream").block();

        StepVerifier.create(trimmer.trimOnce())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        // ticks, ticks.dlq, out, system.event_error and the sink's own dead-letter stream
                        // (trim.<sink>.dlq, since 2026-12-07)
                        .hasMessageContaining("could not trim by retention 1 of 5 stream partitions")
                        .hasMessageContaining("(the others: 5)")
                        .hasMessageContaining(deadLetters))
                .verify(Duration.ofSeconds(10));
        assertThat(template().opsForStream().size(out).block()).as("the sink's entries older than its retention").isZero();
    }

    private static RetentionTrimmer trimmer(StreamKeys keys) {
        TopologyBuilder b = new TopologyBuilder("trim");
        b.stream("ticks", Tick.class).to("out");
        return new RetentionTrimmer(b.build(), new StreamAdmin(template()), keys, ONE_MINUTE);
    }

    private static void addEntriesOf1970(String key) {
        for (int i = 1; i <= 5; i++) {   // ids of 1970: far older than the retention; no group reads "out"
            template().opsForStream().add(MapRecord.create(key, Map.of("n", "" + i)).withId(RecordId.of(i * 1000L, 0))).block();
        }
    }
}
