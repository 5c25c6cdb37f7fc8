package io.quantumtrader.streams.robust;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.ReplyHoldingProxy;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The commit connection goes silent (its return path lost: Redis runs the commits, no reply comes back; Redis and every
 * other connection, a new one too, are fine): the first commit that times out replaces it, and the run drains. Found in
 * review (2026-12-07): the connection was never replaced, each commit waited for the command timeout (60 s), the task
 * restarted and sent its next commits on the same silent connection, for good (500 of 1,200 records in 3 minutes).
 * The command timeout here is 3 s (the factory's, which the commit connection now takes too).
 */
class SilentCommitConnectionTest {

    @Test
    void aSilentCommitConnectionIsReplacedAndTheRunDrains() throws Exception {
        ReactiveStringRedisTemplate direct = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        int keys = 12;
        int perKey = 100;
        new EventPublisher(direct, new StreamKeys(ns), ScaleOutTopology.CATALOG, "test")
                .sendAll(Flux.fromIterable(ScaleOutTopology.events(keys, perKey)), 256).block();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("silent")
                .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port())) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1",
                    proxy.port()), LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(3)).build());
            factory.afterPropertiesSet();
            factory.start();
            try {
                proxy.markConnectionsSending("Commits one task batch atomically");   // commit.lua's SCRIPT LOAD at start
                try (StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("io:5000"), config,
                        new ReactiveStringRedisTemplate(factory))) {
                    runtime.start();
                    await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().recordsIn() > 0);
                    assertThat(proxy.markedConnections()).as("the commit connection").isEqualTo(1);
                    proxy.blackHoleMarked();
                    boolean drained = runtime.awaitDrained(Duration.ofSeconds(60));
                    assertThat(drained).as("drained within a minute (Redis and new connections are fine); records in %d of %d, "
                            + "restarts %d", runtime.counters().recordsIn(), keys * perKey, runtime.counters().restarts()).isTrue();
                    assertThat(ScaleOutTopology.checkSequences(direct, ns, perKey)).as("every output once, in order").isEmpty();
                    // replaced at its first timeout: each task with commits in flight on it restarted once (6 in a run
                    // here); before, every commit sent on it timed out and restarted its task again (31 in a run)
                    assertThat(runtime.counters().restarts()).as("task restarts").isLessThanOrEqualTo(2L * ScaleOutTopology.PARTITIONS);
                }
            } finally {
                factory.destroy();
            }
        }
    }
}
