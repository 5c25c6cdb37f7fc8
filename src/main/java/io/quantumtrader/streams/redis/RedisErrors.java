package io.quantumtrader.streams.redis;

/** Reads Redis error replies through the exception wrappers of Spring Data Redis and Lettuce. */
final class RedisErrors {

    private RedisErrors() {
    }

    /** @return true when the error, or any of its causes, carries a Redis error reply starting with {@code code} */
    static boolean hasCode(Throwable error, String code) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
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
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.lettuce.core.RedisCommandExecutionException) {
                return true;
            }
        }
        return false;
    }

    /** @return the innermost message (the Redis reply itself) */
    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
