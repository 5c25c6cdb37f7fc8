package io.quantumtrader.streams.robust;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.ReplyHoldingProxy;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.scaleout.ScaleOutTopology;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fenced-read connection goes silent (its return path lost: Redis runs the reads, no reply comes back; new
 * connections are fine): the read that times out closes it, the next read opens a new one, and the run drains. Before
 * (2026-12-07, found reviewing the commit connection's same flaw) every read after it went out on the silent
 * connection and timed out, for good.
 */
class SilentReadConnectionTest {

    @Test
    void aSilentReadConnectionIsReplacedAndTheRunDrains() throws Exception {
        ReactiveStringRedisTemplate direct = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        int keys = 12;
        int perKey = 100;
        EventPublisher publisher = new EventPublisher(direct, new StreamKeys(ns), ScaleOutTopology.CATALOG, "test");
        var events = ScaleOutTopology.events(keys, perKey);
        publisher.sendAll(Flux.fromIterable(events.subList(0, events.size() / 2)), 256).block();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("silent-read")
                .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             io.quantumtrader.app.RedisConnection viaProxy = io.quantumtrader.app.RedisConnection.of("redis://127.0.0.1:" + proxy.port())) {
            proxy.markConnectionsSending("First step of a fenced read");   // read-fence-begin.lua, sent with every read
            try (StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("io:5000"), config, viaProxy.template())) {
                runtime.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> runtime.counters().recordsIn() > 0);
                assertThat(proxy.markedConnections()).as("the fenced-read connection").isEqualTo(1);
                proxy.blackHoleMarked();
                publisher.sendAll(Flux.fromIterable(events.subList(events.size() / 2, events.size())), 256).block();
                assertThat(runtime.awaitDrained(Duration.ofSeconds(60))).as("drained (Redis and new connections are fine); "
                        + "records in %d of %d", runtime.counters().recordsIn(), keys * perKey).isTrue();
                assertThat(ScaleOutTopology.checkSequences(direct, ns, perKey)).as("every output once, in order").isEmpty();
            }
        }
    }
}
