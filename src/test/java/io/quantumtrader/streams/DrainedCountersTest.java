package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.RecordId;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code awaitDrained} waits for the counters of the committed work, not only for Redis to show every entry
 * acknowledged (issue 12: {@code bench --records 2000} once failed with "processed 1500 of 2000" although every
 * output was in Redis and nothing was pending).
 */
class DrainedCountersTest {

    static final StreamCatalog CATALOG = new StreamCatalog(new StreamSpec("*", null, 1, 0, null), Map.of(
            "ticks", new StreamSpec("ticks", "symbol", 1, 0, null),
            "priced", new StreamSpec("priced", "symbol", 1, 0, null)));

    @Test
    void notDrainedWhileAReadBatchIsNotCountedEvenIfRedisShowsItAcknowledged() {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(ns, CATALOG).sendAll(EngineIntegrationTest.ticks(4, 500), 64).block();
        // the fourth batch's commit waits: it stands for a commit whose script ran but whose reply is on its way
        Sinks.Empty<Void> release = Sinks.empty();
        AtomicInteger commits = new AtomicInteger();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withBatchSize(500)
                .withBeforeCommit((task, entries) -> entries > 0 && commits.incrementAndGet() == 4 ? release.asMono() : Mono.empty());
        String key = new StreamKeys(ns).stream("ticks", 0);
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config, template())) {
            runtime.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> commits.get() == 4 && runtime.counters().recordsIn() == 1500);
            // what Redis shows once that script ran: every entry acknowledged, nothing unread
            RecordId[] ids = template().opsForStream().range(key, Range.unbounded()).map(r -> r.getId()).collectList().block()
                    .toArray(RecordId[]::new);
            template().opsForStream().acknowledge(key, "pricing.0", ids).block();

            assertThat(runtime.awaitDrained(Duration.ofMillis(500))).as("drained while 500 read entries are not counted").isFalse();
            // what a run that did not drain in time says is left (the replay prints it)
            assertThat(runtime.undrained()).containsExactly("task 0_0: 500 entries read and not yet committed");

            release.tryEmitEmpty();
            boolean drained = runtime.awaitDrained(Duration.ofSeconds(30));
            assertThat(drained).as("drained after the commit was released; records in %d, commits %d, tasks %s, lag %s",
                    runtime.counters().recordsIn(), runtime.counters().commits(),
                    runtime.tasks().stream().map(t -> t.id() + " " + t.state() + " read-ahead " + t.readAhead()).toList(),
                    runtime.lag().block()).isTrue();
            assertThat(runtime.counters().recordsIn()).isEqualTo(2000);
            assertThat(runtime.undrained()).isEmpty();
        }
    }

    /**
     * A commit still in flight when its task fails lands in Redis and its records are not processed again, so it must
     * be counted when its reply arrives, even though the run that sent it has stopped waiting (a README replay once
     * counted 231,666 records processed instead of 232,166 after a task restart: docs/BENCHMARKS.md, 2026-12-03
     * 19:43 UTC). Here the commit connection's replies are held while the second batch commits, and the third
     * batch's hook fails the run once Redis shows the second commit done.
     */
    @Test
    void aCommitInFlightWhenItsTaskFailsIsCountedWhenItsReplyArrives() throws Exception {
        String ns = RedisTestSupport.freshNamespace();
        RedisTestSupport.publisher(ns, CATALOG).sendAll(EngineIntegrationTest.ticks(3, 500), 64).block();
        String key = new StreamKeys(ns).stream("ticks", 0);
        HeldReplies held = new HeldReplies();
        Sinks.Empty<Void> installed = Sinks.empty();
        java.util.concurrent.atomic.AtomicReference<StreamsRuntime> running = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicInteger commits = new AtomicInteger();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withBatchSize(500)
                .withBeforeCommit((task, entries) -> {
                    if (entries == 0) {
                        return Mono.empty();
                    }
                    int n = commits.incrementAndGet();
                    if (n == 1) {
                        return installed.asMono(); // the handler is in place before any commit
                    }
                    if (n == 2) { // once the first commit is counted, the second commit's reply waits in the handler
                        return reactor.core.publisher.Flux.interval(Duration.ofMillis(5))
                                .filter(t -> running.get().counters().recordsIn() == 500).next()
                                .timeout(Duration.ofSeconds(10)).doOnNext(t -> held.holding = true).then();
                    }
                    if (n != 3) {
                        return Mono.empty();
                    }
                    // the second commit ran in Redis (only the third batch is pending) while its reply is held
                    return reactor.core.publisher.Flux.interval(Duration.ofMillis(10))
                            .concatMap(t -> template().opsForStream().pending(key, "pricing.0"))
                            .filter(p -> p.getTotalPendingMessages() == 500).next().timeout(Duration.ofSeconds(10))
                            .then(Mono.<Void>error(new IllegalStateException("the test fails the run while commit 2 is in flight")))
                            .doOnError(e -> held.releaseAfter(Duration.ofMillis(300)));
                });
        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(), config, template())) {
            running.set(runtime);
            runtime.start();
            java.lang.reflect.Field f = StreamsRuntime.class.getDeclaredField("commitConnection");
            f.setAccessible(true);
            held.install(LettuceChannel.of(f.get(runtime)));
            installed.tryEmitEmpty();

            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).as("drained; records in %d, restarts %d",
                    runtime.counters().recordsIn(), runtime.counters().restarts()).isTrue();
            assertThat(commits.get()).as("the third batch was committed by the restarted run").isEqualTo(4);
            assertThat(runtime.counters().restarts()).isEqualTo(1);
            assertThat(runtime.counters().recordsIn()).as("every record counted once").isEqualTo(1500);
        }
    }

    /** An inbound Netty handler that holds a connection's replies while {@link #holding}, then passes them on. */
    private static final class HeldReplies extends io.netty.channel.ChannelInboundHandlerAdapter {

        volatile boolean holding;
        private final java.util.List<Object> replies = new java.util.ArrayList<>();
        private io.netty.channel.ChannelHandlerContext ctx;

        void install(io.netty.channel.Channel channel) {
            channel.pipeline().addFirst("held-replies", this);
        }

        @Override
        public void handlerAdded(io.netty.channel.ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (holding) {
                replies.add(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void channelReadComplete(io.netty.channel.ChannelHandlerContext ctx) {
            if (!holding) {
                ctx.fireChannelReadComplete();
            }
        }

        void releaseAfter(Duration delay) {
            ctx.executor().schedule(() -> {
                holding = false;
                replies.forEach(ctx::fireChannelRead);
                replies.clear();
                ctx.fireChannelReadComplete();
            }, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
