package io.quantumtrader.streams.robust;

import io.quantumtrader.app.RedisConnection;
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

/**
 * Replies lost with their connection, all through a run: every connection of the runtime (the shared template's, the
 * commit connection, the fenced reads', the notifier's) goes through a proxy that, every 100 ms, closes whichever
 * connection Redis answers next (within 25 ms) before the reply reaches the engine. Redis ran the command; Lettuce reconnects and
 * sends it again (its at-least-once default), so every command and script of the engine runs, now and then, twice or
 * with its outcome unknown. A stateful topology (a running count per key) must still put every output out once, in
 * order, with the right count, and drain (LostReadReplyTest shows the read that did not: its entries stayed pending),
 * and count each record once (CommitSentTwiceTest: a commit made whose reply was lost was never counted).
 */
class LostRepliesChaosTest {

    @Test
    void everyOutputOnceInOrderWhileRepliesAreLostWithTheirConnections() throws Exception {
        ReactiveStringRedisTemplate direct = RedisTestSupport.template();
        String ns = RedisTestSupport.freshNamespace();
        int keys = 24;
        int perKey = 300;
        new EventPublisher(direct, new StreamKeys(ns), ScaleOutTopology.CATALOG, "test")
                .sendAll(Flux.fromIterable(ScaleOutTopology.events(keys, perKey)), 256).block();

        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("chaos")
                .withCatalog(ScaleOutTopology.CATALOG).withBatchSize(20);
        try (ReplyHoldingProxy proxy = new ReplyHoldingProxy(RedisTestSupport.redis().port());
             RedisConnection viaProxy = RedisConnection.of("redis://127.0.0.1:" + proxy.port());
             StreamsRuntime runtime = new StreamsRuntime(ScaleOutTopology.build("io:500"), config, viaProxy.template())) {
            runtime.start(); // (a start whose group creation cannot get through within 30 s fails: not under test here)
            proxy.dropConnectionsEvery(Duration.ofMillis(100));
            boolean drained = runtime.awaitDrained(Duration.ofSeconds(90));
            // a stall seen in 7 of ~77 runs on 2026-12-05 had its cause in the proxy (windows at a fixed phase against
            // Lettuce's reconnect timer cut every reconnect's handshake: ReplyHoldingProxy.dropConnectionsEvery); if it
            // does not drain, say whether the proxy itself still passes a fresh connection's PING
            assertThat(drained).as("drained: %s; connections dropped: %d; a fresh connection through the proxy: %s",
                    runtime.undrained(), proxy.connectionsDropped(), drained ? "" : ping(proxy.port())).isTrue();
            assertThat(proxy.connectionsDropped()).as("connections lost before their reply").isGreaterThanOrEqualTo(10);
            assertThat(ScaleOutTopology.checkSequences(direct, ns, perKey)).as("every output once, in order").isEmpty();
            assertThat(ScaleOutTopology.outputCount(direct, ns)).isEqualTo((long) keys * perKey);
            assertThat(runtime.counters().deadLettered()).as("dead-lettered").isZero();
            // a commit Redis made whose reply was lost is counted once when it is sent again (it was never counted)
            assertThat(runtime.counters().recordsIn()).as("records counted in").isEqualTo((long) keys * perKey);
            assertThat(runtime.metrics().registry().find("qt.streams.reads.again").tag("reason", "connection_lost")
                    .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum())
                    .as("reads followed by a re-read of the pending list").isPositive();
        }
    }

    /** @return what a PING on a new plain socket to {@code port} got back within 2 s */
    private static String ping(int port) {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2_000);
            s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] reply = new byte[64];
            int n = s.getInputStream().read(reply);
            return n < 0 ? "closed without a reply" : new String(reply, 0, n, java.nio.charset.StandardCharsets.US_ASCII).trim();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
