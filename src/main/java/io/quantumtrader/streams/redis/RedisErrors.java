package io.quantumtrader.streams.redis;

/** Reads Redis error replies through the exception wrappers of Spring Data Redis and Lettuce. */
final class RedisErrors {

    private RedisErrors() {
    }

    /** @return true when the error, or any of its causes, carries a Redis error reply starting with {@code code} */
    static boolean hasCode(Throwable error, String code) {
        for (Throwable t : io.quantumtrader.streams.runtime.CauseChain.of(error)) {
            String m = t.getMessage();
            if (m != null && (m.startsWith(code) || m.contains(" " + code + " ") || m.contains(code + " "))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true when the error, or any of its causes, is an error reply of Redis (e.g. NOPERM), not a failure to
     *         reach it (connection lost, timeout)
     */
    static boolean isErrorReply(Throwable error) {
        return errorReply(error).isPresent();
    }

    /**
     * @return the error reply of Redis that {@code error} (or its first cause that is one) carries, e.g.
     *         {@code TRYAGAIN Multiple keys request during rehashing of slot}; empty when it is not an error reply
     *         (connection lost, timeout)
     */
    static java.util.Optional<String> errorReply(Throwable error) {
        for (Throwable t : io.quantumtrader.streams.runtime.CauseChain.of(error)) {
            if (t instanceof io.lettuce.core.RedisCommandExecutionException) {
                return java.util.Optional.ofNullable(t.getMessage());
            }
        }
        return java.util.Optional.empty();
    }

    /** @return the innermost message (the Redis reply itself) */
    static String rootMessage(Throwable error) {
        Throwable t = io.quantumtrader.streams.runtime.CauseChain.root(error);
        return String.valueOf(t.getMessage());
    }
}
