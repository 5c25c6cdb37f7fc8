package io.quantumtrader.streams.redis;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Lettuce connection stops reading for good when the subscriber of a streaming reply drains it on its own thread at
 * the wrong moment ({@link KeepReading}). The subscriber here asks for one element at a time from a parallel thread
 * (publishOn, prefetch 1), which without {@link KeepReading} stopped the whole connection (PING unanswered, autoRead
 * off) after 3 to 153 {@code XRANGE}s in each of six runs of this pattern (Lettuce 7.5.2; 7.7.0 the same). With it the
 * connection reads on. {@code -DkeepReading.off=true} runs the same test on plain client resources: it fails, which is what the
 * fix is for. Real redis-server (the test JVM's), nothing mocked.
 */
class KeepReadingTest {

    private static final int ENTRIES = 2_000;
    private static final int LOOPS = 400;
    private static final Duration STUCK = Duration.ofSeconds(3);
    private static final String KEY = "keep-reading:" + RedisTestSupport.freshNamespace();

    private static ClientResources resources;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void connect() {
        boolean off = Boolean.getBoolean("keepReading.off");
        resources = off ? ClientResources.create() : KeepReading.clientResources();
        var redis = RedisTestSupport.redis();
        client = RedisClient.create(resources, RedisURI.create(redis.host(), redis.port()));
        connection = client.connect();
        Map<String, String> body = new LinkedHashMap<>();
        for (int f = 0; f < 10; f++) {
            body.put("field" + f, "value-" + f + "-" + "x".repeat(40));   // ~1.3 MB per XRANGE reply: many socket reads
        }
        var sync = connection.sync();
        for (int i = 0; i < ENTRIES; i++) {
            sync.xadd(KEY, body);
        }
    }

    @AfterAll
    static void close() {
        connection.sync().del(KEY);
        connection.close();
        client.shutdown();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aStreamingReplyDrainedOneElementAtATimeOnAnotherThreadNeverStopsTheConnection() {
        var reactive = connection.reactive();
        int stuckReplies = 0;
        for (int i = 0; i < LOOPS; i++) {
            CompletableFuture<Long> count = new CompletableFuture<>();
            Disposable xrange = reactive.xrange(KEY, Range.create("-", "+"))
                    .publishOn(Schedulers.parallel(), 1)
                    .count()
                    .subscribe(count::complete, count::completeExceptionally);
            Long n = count.completeOnTimeout(-1L, STUCK.toMillis(), TimeUnit.MILLISECONDS).join();
            if (n == -1L) {
                // this subscription lost a wake-up (a second race, inside Lettuce's RedisPublisher, that KeepReading
                // does not cover: the engine never asks for a streaming reply a few elements at a time). What must
                // hold is that the connection itself still reads: other commands get their replies while it waits
                // (asked before the stuck XRANGE is cancelled: Lettuce turns reading back on at a cancel)
                stuckReplies++;
                String pong = reactive.ping().timeout(STUCK).onErrorResume(TimeoutException.class, e -> Mono.just("none"))
                        .block();
                xrange.dispose();
                assertEquals("PONG", pong, "while XRANGE " + i + " of " + LOOPS + " was stuck, PING got no reply within "
                        + STUCK.toSeconds() + " s: the connection stopped reading (Lettuce left autoRead off)");
                continue;
            }
            assertEquals(ENTRIES, n, "entries of XRANGE " + i);
        }
        assertEquals("PONG", reactive.ping().block(STUCK));
        if (resources.nettyCustomizer() instanceof KeepReading keep) {
            assertTrue(keep.resumed() > 0, "Lettuce held back these replies (autoRead off) and KeepReading counted it");
        }
        System.out.println("KeepReadingTest: " + LOOPS + " XRANGEs, " + stuckReplies + " subscription(s) stuck on their own, "
                + "the connection read on");
    }

    @Test
    void theRuntimeCanTellWhetherAFactoryKeepsReading() {
        assertTrue(KeepReading.installedOn(RedisTestSupport.redis().factory()),
                "the application's RedisConnection builds its Lettuce client on KeepReading.clientResources()");
        assertFalse(KeepReading.installedOn(new LettuceConnectionFactory()), "a factory on Lettuce's default resources");
    }

    @Test
    void aLostConnectionIsTriedAgainAtMostTwoSecondsApartNotLettucesThirty() {
        ClientResources engine = KeepReading.clientResources();
        try {
            var delay = engine.reconnectDelay();
            assertTrue(delay.createDelay(1).toMillis() < 10, "the first attempts come at once");
            for (long attempt = 1; attempt <= 40; attempt++) {
                assertTrue(delay.createDelay(attempt).compareTo(KeepReading.MAX_RECONNECT_DELAY) <= 0, "attempt " + attempt);
            }
        } finally {
            engine.shutdown();
        }
        ClientResources defaults = ClientResources.create();
        try {
            assertTrue(defaults.reconnectDelay().createDelay(20).toSeconds() >= 30, "Lettuce's default, for contrast");
        } finally {
            defaults.shutdown();
        }
    }
}
