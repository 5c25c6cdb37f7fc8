package io.quantumtrader.streams.redis;

/**
 * The connection of a fenced read was lost (or could not be opened) before the read's reply came: Redis ran the read
 * whole or not at all (the connection is never re-established by Lettuce, so no part of it is sent again). A reader
 * that gets it re-reads its consumer's pending entries after the last it received ({@link PartitionReader}).
 */
public final class ReadConnectionLostException extends RuntimeException {

    /** @param cause Lettuce's or Netty's error */
    public ReadConnectionLostException(Throwable cause) {
        super("the fenced-read connection was lost before the read's reply: " + cause, cause);
    }

    /**
     * @return true when {@code error} (or a cause) says the connection went away or could not be made, as Lettuce and
     *         Netty report it: not when Redis answered with an error
     */
    public static boolean is(Throwable error) {
        for (Throwable e : io.quantumtrader.streams.runtime.CauseChain.of(error)) {
            if (e instanceof io.lettuce.core.RedisConnectionException
                    || e instanceof java.nio.channels.ClosedChannelException
                    || e instanceof java.io.IOException) {
                return true;
            }
            String m = e.getMessage();
            if (e instanceof io.lettuce.core.RedisException && m != null
                    && (m.startsWith("Connection disconnected") || m.startsWith("Connection closed")
                    || m.startsWith("Currently not connected"))) {
                return true;
            }
        }
        return false;
    }
}
