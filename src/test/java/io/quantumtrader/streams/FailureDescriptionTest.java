package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.EventPublisher.Event;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link io.quantumtrader.streams.runtime.FailureDescription}: the application's words for a task's failure replace
 * the quoted messages of Redis' reply in {@code GroupState#failing()} (the health's {@code group.failing}); a failure
 * it does not describe keeps the engine's own line. The failure: a commit into a stream whose entry ids are used up,
 * which stops the task for good ({@link ExhaustedStreamIdsTest}). The service end to end (a Redis restarted with fewer
 * databases): ServeDatabaseLostTest.
 */
@Timeout(90)
class FailureDescriptionTest {

    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void theApplicationsWordsForAFailureAreWhatTheGroupStateSays() {
        assertThat(failingWith(e -> Optional.of("the stream can take no more entries: delete it")))
                .containsExactly("the stream can take no more entries: delete it");
    }

    @Test
    void aFailureTheApplicationDoesNotDescribeIsQuoted() {
        assertThat(failingWith(e -> Optional.empty())).singleElement().asString().contains("used up its entry ids");
    }

    private static java.util.Collection<String> failingWith(io.quantumtrader.streams.runtime.FailureDescription description) {
        ReactiveStringRedisTemplate redis = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        ExhaustedStreamIdsTest.exhaust(redis, new StreamKeys(ns).stream("x-b", 0));
        RedisTestSupport.publisher(ns, StreamCatalog.defaults())
                .sendAll(Flux.just(new Event("x-in", "k", "v1", 1_000_000_000_000L, "e-1")), 10).block(T);
        try (StreamsRuntime runtime = new StreamsRuntime(ExhaustedStreamIdsTest.topology(),
                StreamsConfig.defaults().withNamespace(ns), redis).withFailureDescription(description)) {
            runtime.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.state() == RuntimeState.ERROR);
            return java.util.List.copyOf(runtime.group().failing().values());
        }
    }
}
