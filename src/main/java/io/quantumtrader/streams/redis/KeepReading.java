package io.quantumtrader.streams.redis;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps every Lettuce connection reading replies, whatever one reactive subscriber's demand.
 *
 * <p>Why: Lettuce (7.5.2 and 7.7.0 alike) stops reading a connection ({@code autoRead} off, in
 * {@code CommandHandler.decode}) while the elements of a streaming reply ({@code XRANGE}, {@code HGETALL},
 * {@code ZRANGE} …) wait in its subscription's queue, and reads again when that subscriber asks for more. Two
 * interleavings leave it off for good: the subscriber drains the queue on its own thread between Lettuce's demand check
 * and the {@code setAutoRead(false)} that follows it, or it drains the queue at the end of its first {@code request}
 * after the only "read more" check of that call. Either way no reply of that connection is read again: on the
 * multiplexed connection the engine shares, every lease renewal, rebalance, lag read and the report timed out while
 * Redis and the event loops sat idle (3 of ~180 README replays on 2026-12-03; the two caught with a thread dump while
 * the report collected an {@code XRANGE} page on the main thread; reproduced in {@code KeepReadingTest}). On a shared
 * connection per-reply backpressure is head-of-line blocking anyway: a reply's elements that nobody asked for yet
 * wait in the subscription's (unbounded) queue instead.
 *
 * <p>Not covered: a subscriber that asks for a streaming reply a few elements at a time from another thread can still
 * lose a wake-up of its own subscription (a second race, inside Lettuce's {@code RedisPublisher}); the connection reads
 * on. The engine asks for every element at once ({@code collectList}, {@code collectMap}, {@code count}).
 *
 * <p>The handler sits first in each connection's pipeline and turns {@code autoRead} back on when a read completes
 * with it off, so Netty goes on reading. Use {@link #clientResources()} for the Lettuce client (the application's
 * {@code RedisConnection} does); the runtime warns at start when the template's factory lacks it
 * ({@link #installedOn(ReactiveRedisConnectionFactory)}) and counts the reads it resumed ({@link #resumed()}).
 */
public final class KeepReading implements NettyCustomizer {

    private final LongAdder resumed = new LongAdder();
    private final ChannelHandler handler = new ReadOn(resumed);

    /**
     * Longest wait between two attempts to re-establish a lost connection. Lettuce's default doubles up to 30 s: after a
     * few failed attempts (Redis restarting, a network flapping) an instance stayed away up to 30 s after Redis was
     * back, its leases lapsing meanwhile (LostRepliesChaosTest once waited 30 s between attempts and did not drain).
     */
    public static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);

    /**
     * @return client resources (Lettuce's defaults otherwise) whose connections all keep reading and whose attempts to
     *         re-establish a lost connection wait at most {@link #MAX_RECONNECT_DELAY} (1 ms, doubling) after the one
     *         before (an attempt itself can take up to the connect timeout); the caller shuts them down
     *         ({@link ClientResources#shutdown()}) after the client that uses them
     */
    public static ClientResources clientResources() {
        return ClientResources.builder().nettyCustomizer(new KeepReading())
                .reconnectDelay(Delay.exponential(Duration.ofMillis(1), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /**
     * @return the customizer of a started Lettuce factory whose client resources install it; empty for another client,
     *         a factory not started yet, or resources without it
     */
    public static Optional<KeepReading> of(ReactiveRedisConnectionFactory factory) {
        return factory instanceof LettuceConnectionFactory lettuce
                && lettuce.getClientResources() != null
                && lettuce.getClientResources().nettyCustomizer() instanceof KeepReading keep ? Optional.of(keep) : Optional.empty();
    }

    /** @return true when {@link #of} finds the customizer on {@code factory} */
    public static boolean installedOn(ReactiveRedisConnectionFactory factory) {
        return of(factory).isPresent();
    }

    /**
     * @return how many reads of this customizer's connections completed with Lettuce's {@code autoRead} off and were
     *         turned back on (meter {@code qt.streams.redis.reads.resumed}): each is a streaming reply whose subscriber
     *         had not asked for the elements read so far. The engine asks for every reply whole, so its own traffic
     *         keeps this at 0 ({@code DifferentialTest}); a subscriber that takes a streaming reply a few elements at
     *         a time raises it
     */
    public long resumed() {
        return resumed.sum();
    }

    @Override
    public void afterChannelInitialized(Channel channel) {
        channel.pipeline().addFirst("keep-reading", handler);
    }

    /** Turns {@code autoRead} back on at the end of each read in which Lettuce turned it off. */
    @ChannelHandler.Sharable
    private static final class ReadOn extends ChannelInboundHandlerAdapter {

        private final LongAdder resumed;

        ReadOn(LongAdder resumed) {
            this.resumed = resumed;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!ctx.channel().config().isAutoRead()) {
                resumed.increment();
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelReadComplete();
        }
    }
}
