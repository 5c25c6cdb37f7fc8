package io.quantumtrader.streams;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.netty.channel.Channel;

import java.lang.reflect.Field;

/**
 * The Netty channel under one of the engine's dedicated Lettuce connections, for tests that must hold its I/O thread
 * or watch its writes. Reflection: neither the engine nor Lettuce exposes the channel.
 */
final class LettuceChannel {

    private LettuceChannel() {
    }

    /**
     * @param owner an object with a field {@code connection} holding a standalone Lettuce connection
     *              ({@code FencedReadConnection}, {@code CommitConnection})
     * @return that connection's current channel
     */
    static Channel of(Object owner) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField("connection");
        f.setAccessible(true);
        Object writer = ((RedisChannelHandler<?, ?>) f.get(owner)).getChannelWriter();
        while (!(writer instanceof DefaultEndpoint)) {
            Field delegate = writer.getClass().getDeclaredField("delegate");
            delegate.setAccessible(true);
            writer = delegate.get(writer);
        }
        Field channel = DefaultEndpoint.class.getDeclaredField("channel");
        channel.setAccessible(true);
        return (Channel) channel.get(writer);
    }
}
