package io.quantumtrader.app;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where and how to connect to Redis, from {@code REDIS_URL} and the settings beside it: one server or the seed nodes
 * of a Redis Cluster, the ACL user and password, the database (standalone only) and TLS.
 *
 * @param nodes    {@code host:port} of the server, or the cluster's seed nodes (any subset of its nodes: the client
 *                 discovers the others with {@code CLUSTER SHARDS}/{@code CLUSTER NODES})
 * @param cluster  true for a Redis Cluster ({@code REDIS_URL} with several hosts, {@code ?cluster=true}, or
 *                 {@code REDIS_CLUSTER_NODES})
 * @param username ACL user, {@code null} for {@code default}
 * @param password password, {@code null} for none (registered with {@link Secrets}, never printed)
 * @param database logical database, 0 unless the URL names one (a cluster has only database 0)
 * @param tls      TLS settings; {@link RedisTls#NONE} for plain {@code redis://}
 */
public record RedisTarget(List<HostPort> nodes, boolean cluster, String username, String password, int database,
                          RedisTls tls) {

    /** The environment variable listing cluster seed nodes, {@code host:port,host:port}, as an alternative to REDIS_URL's hosts. */
    public static final String CLUSTER_NODES = "REDIS_CLUSTER_NODES";
    /** Spring Boot's name for the same ({@code spring.data.redis.cluster.nodes} through relaxed binding). */
    public static final String SPRING_CLUSTER_NODES = "SPRING_DATA_REDIS_CLUSTER_NODES";

    /** One server address. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    public RedisTarget {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no Redis node given");
        }
    }

    /**
     * @param env the environment ({@code System.getenv()}); reads {@code REDIS_URL}, {@code REDIS_CLUSTER_NODES} (or
     *            {@code SPRING_DATA_REDIS_CLUSTER_NODES}), {@link #PASSWORD} and the {@code REDIS_TLS_*} settings
     *            ({@link RedisTls#fromEnvironment})
     * @return the target, or {@code null} when neither {@code REDIS_URL} nor cluster nodes are set
     * @throws CliException (exit code 2) when a setting is malformed; the message never contains the password
     */
    public static RedisTarget fromEnvironment(Map<String, String> env) {
        String rawPassword = env.get(PASSWORD);
        if (rawPassword != null && !rawPassword.isEmpty()) {
            Secrets.register(rawPassword);
        }
        RedisTarget target = fromUrlOrNodes(env);
        if (target != null && rawPassword != null && !rawPassword.isEmpty()) {
            target = new RedisTarget(target.nodes(), target.cluster(), target.username(), rawPassword, target.database(), target.tls());
        }
        return target;
    }

    /**
     * The environment variable with Redis' password as it is (no percent-encoding): when set it is the password,
     * whatever {@code REDIS_URL} says. Kubernetes puts a secret here; built into {@code REDIS_URL} a secret holding
     * {@code %}, {@code ?} or {@code @} would have to be percent-encoded first.
     */
    public static final String PASSWORD = "REDIS_PASSWORD";

    private static RedisTarget fromUrlOrNodes(Map<String, String> env) {
        String url = blankToNull(env.get("REDIS_URL"));
        String clusterNodes = blankToNull(env.getOrDefault(CLUSTER_NODES, env.get(SPRING_CLUSTER_NODES)));
        if (url == null && clusterNodes == null) {
            return null;
        }
        RedisTarget target = url != null ? RedisUrl.target(url) : null;
        if (clusterNodes != null) {
            List<HostPort> seeds = RedisUrl.hostPorts(clusterNodes, env.containsKey(CLUSTER_NODES) ? CLUSTER_NODES : SPRING_CLUSTER_NODES);
            target = target == null
                    ? new RedisTarget(seeds, true, null, null, 0, RedisTls.NONE)
                    : new RedisTarget(seeds, true, target.username(), target.password(), 0, target.tls());
        }
        RedisTls tls = RedisTls.fromEnvironment(env, target.tls().enabled());
        return target.withTls(tls);
    }

    /** @return this target with other TLS settings */
    public RedisTarget withTls(RedisTls tls) {
        return new RedisTarget(nodes, cluster, username, password, database, tls);
    }

    /** @return this target as a cluster (seed nodes) */
    public RedisTarget asCluster() {
        return new RedisTarget(nodes, true, username, password, 0, tls);
    }

    /** @return {@code host:port} of the first node, or {@code cluster host:port,host:port}, for messages */
    public String where() {
        String list = nodes.stream().map(HostPort::toString).collect(Collectors.joining(","));
        return (cluster ? "Redis Cluster at " : "Redis at ") + list + (tls.enabled() ? " (TLS)" : "");
    }

    /** @return the nodes as {@code host:port,host:port} */
    public String hostPorts() {
        return nodes.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return where() + (username != null ? " as " + username : "") + (password != null ? " with a password" : "");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
