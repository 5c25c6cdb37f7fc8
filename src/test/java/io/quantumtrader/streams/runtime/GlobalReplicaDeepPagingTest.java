package io.quantumtrader.streams.runtime;

import io.lettuce.core.resource.ClientResources;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large global table is read page after page with a constant stack depth on the Lettuce I/O thread that delivers
 * the replies. Found in review (2026-12-07): each 1,000-entry page's read was a flatMap nested in the previous page's,
 * the stack grew ~2 frames per page, a large table overflowed the I/O thread's stack at every task start, Reactor
 * swallowed the StackOverflowError and the refresh never completed (the task hung before its first batch). The I/O
 * threads here get a small stack ({@value #STACK_BYTES} bytes) to reach it with {@value #ENTRIES} entries (400 pages).
 */
class GlobalReplicaDeepPagingTest {

    private static final long STACK_BYTES = 160 * 1024;
    private static final int ENTRIES = 400_000;

    record Limit(String symbol, double max) {
    }

    @Test
    void aLargeGlobalTableIsReadWithoutTheStackGrowingPerPage() throws Exception {
        long stack = Long.getLong("paging.stack", STACK_BYTES);
        int entries = Integer.getInteger("paging.entries", ENTRIES);
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("limits", 0);
        template().execute(RedisScript.of("for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], '*', 'cloudevent', "
                        + "'{\"id\":\"e' .. i .. '\",\"time\":\"2023-11-14T22:13:20Z\",\"subject\":\"K' .. (i % 1000) .. "
                        + "'\",\"data\":{\"symbol\":\"K\",\"max\":1}}') end return 1", Long.class),
                List.of(key), List.of(Integer.toString(entries))).blockFirst(Duration.ofSeconds(120));
        AtomicInteger n = new AtomicInteger();
        ClientResources resources = ClientResources.builder()
                .threadFactoryProvider(pool -> r -> {
                    Thread t = new Thread(null, r, "small-stack-" + pool + "-" + n.incrementAndGet(), stack);
                    t.setDaemon(true);
                    return t;
                }).build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(
                RedisTestSupport.redis().host(), RedisTestSupport.redis().port()),
                LettuceClientConfiguration.builder().clientResources(resources).build());
        factory.afterPropertiesSet();
        factory.start();
        try {
            ReactiveStringRedisTemplate redis = new ReactiveStringRedisTemplate(factory);
            GlobalStoreReplica replica = new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits",
                    new JsonSerde<>(Limit.class)), redis, new StreamKeys(ns), StreamCatalog.defaults(),
                    (store, entry, reason) -> {
                    }, IngestLimits.defaults(), Duration.ofSeconds(5));
            CompletableFuture<Void> done = replica.refresh().toFuture();
            try {
                done.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the refresh of " + entries + " entries did not complete in 30 s", e);
            }
            assertThat(replica.approximateNumEntries()).isEqualTo(1000);
        } finally {
            factory.destroy();
            resources.shutdown();
            template().delete(key).block(Duration.ofSeconds(30));
        }
    }

    /** A page whose reply does not come (Redis paused here) fails the refresh in a bounded time, naming the table. */
    @Test
    void aStalledRefreshFailsInsteadOfWaitingForEver() {
        String ns = RedisTestSupport.freshNamespace();
        GlobalStoreReplica replica = new GlobalStoreReplica(new GlobalStoreSpec("limits-table", "limits",
                new JsonSerde<>(Limit.class)), template(), new StreamKeys(ns), StreamCatalog.defaults(),
                (store, entry, reason) -> {
                }, IngestLimits.defaults(), Duration.ofSeconds(5), Duration.ofMillis(300));
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(io.lettuce.core.RedisURI.create(
                RedisTestSupport.redis().host(), RedisTestSupport.redis().port()));
        try (var connection = client.connect()) {
            connection.sync().clientPause(1500);   // every client's commands wait 1.5 s
        } finally {
            client.shutdown();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> replica.refresh().block(Duration.ofSeconds(10)))
                .isInstanceOf(GlobalRefreshStalledException.class)
                .hasMessageContaining("limits-table");
    }
}
