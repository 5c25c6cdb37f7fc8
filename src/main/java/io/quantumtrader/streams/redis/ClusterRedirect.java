package io.quantumtrader.streams.redis;

import java.util.Optional;

/**
 * A Redis Cluster redirection reply: {@code MOVED <slot> <host>:<port>} (the slot is served elsewhere now: the client's
 * slot map is stale) or {@code ASK <slot> <host>:<port>} (the slot is being migrated and the keys are at the target:
 * send {@code ASKING} and the command there, once). Redis Cluster specification, "Redirection and resharding".
 *
 * @param ask  true for {@code ASK}, false for {@code MOVED}
 * @param host the node to send the command to; empty when the reply left it out (Redis 7 with
 *             {@code cluster-preferred-endpoint-type unknown-endpoint}: the replying node's host)
 * @param port its port
 */
record ClusterRedirect(boolean ask, String host, int port) {

    /** @return the redirection the error carries (an error reply of Redis, possibly wrapped), or empty */
    static Optional<ClusterRedirect> of(Throwable error) {
        return RedisErrors.errorReply(error).flatMap(ClusterRedirect::parse);
    }

    /** @return the redirection in an error reply such as {@code MOVED 3999 127.0.0.1:6381}, or empty */
    static Optional<ClusterRedirect> parse(String reply) {
        String[] parts = reply.trim().split(" ");
        if (parts.length != 3 || !(parts[0].equals("MOVED") || parts[0].equals("ASK"))) {
            return Optional.empty();
        }
        int colon = parts[2].lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ClusterRedirect(parts[0].equals("ASK"), parts[2].substring(0, colon),
                    Integer.parseInt(parts[2].substring(colon + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
