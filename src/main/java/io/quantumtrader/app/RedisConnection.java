package io.quantumtrader.app;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import io.quantumtrader.streams.redis.KeepReading;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Redis to run against: {@code REDIS_URL} ({@code redis[s]://[[user]:password@]host[:port][,host:port...][/db]}; several
 * hosts or {@code REDIS_CLUSTER_NODES} for a Redis Cluster, {@code rediss://} for TLS) when set, otherwise a Redis
 * started on a free loopback port with persistence off and stopped on {@link #close()}: the {@code redis-server} on
 * {@code PATH} when there is one, else the embedded Redis 7.0.15 ({@code org.signal:embedded-redis}); see
 * {@link LocalRedisServer}. Never touches a Redis it did not start unless told to by {@code REDIS_URL}.
 */
public final class RedisConnection implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RedisConnection.class);

    private final LocalRedisProcess embedded;
    private final LettuceConnectionFactory factory;
    private final ReactiveStringRedisTemplate template;
    private final String description;
    private final boolean cluster;
    private boolean tls;
    private final String host;
    private final int port;
    /** The Redis of {@code REDIS_URL}; null for a Redis this process started. */
    private RedisTarget target;
    /** How often a cluster client re-reads the topology even when nothing triggered it (adaptive refresh reacts at once). */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

    private RedisConnection(LocalRedisProcess embedded, LettuceConnectionFactory factory, String description, boolean cluster,
                            String host, int port) {
        this.embedded = embedded;
        this.factory = factory;
        this.factory.afterPropertiesSet();
        this.factory.start();
        this.template = new ReactiveStringRedisTemplate(factory);
        this.description = description;
        this.cluster = cluster;
        this.host = host;
        this.port = port;
    }

    /**
     * @return the Redis of the environment ({@code REDIS_URL}, {@code REDIS_CLUSTER_NODES}, {@code REDIS_TLS_*}: see
     *         {@link RedisTarget#fromEnvironment}) when set, otherwise a Redis started for this run: the
     *         {@code redis-server} on {@code PATH} when there is one (about 3x faster than the embedded build), else the
     *         embedded one ({@link LocalRedisServer#choose()}); {@link #description()} says which
     */
    public static RedisConnection fromEnvironment() {
        RedisTarget target = RedisTarget.fromEnvironment(System.getenv());
        return target == null ? local(LocalRedisServer.choose()) : of(target);
    }

    /**
     * Connects to the Redis of {@code url} and checks that it answers (PING), so a wrong address or password fails here
     * with a message naming it, not later inside the pipeline.
     *
     * @param url {@code redis[s]://[[user]:password@]host[:port][,host:port...][/db][?cluster=true]} ({@link RedisUrl})
     * @throws CliException when the URL is malformed (exit code 2), or Redis is unreachable or refuses the credentials
     *                      (exit code 3); the message names host:port and user, never the password
     */
    public static RedisConnection of(String url) {
        return of(RedisUrl.target(url));
    }

    /**
     * Connects to a server or a Redis Cluster (Lettuce with adaptive and periodic topology refresh, so a failover or a
     * resharding is followed), with TLS when the target says so, and checks that it answers (PING; on a cluster, the
     * cluster is also asked for its topology).
     *
     * @throws CliException (exit code 3) when Redis is unreachable, refuses the credentials or its TLS certificate is
     *                      not trusted, or has not the target's database (the message then names the database and the
     *                      server's {@code databases} setting when the server tells it); the message names the address
     *                      and user, never the password
     */
    public static RedisConnection of(RedisTarget target) {
        // the database too when not 0: replay's "redis:", serve's "serving:" and kill-switch-reset's "published to" lines
        // named only host and port (found in review, 2026-12-07)
        RedisConnection connection = new RedisConnection(null, factory(target), target.where()
                + (target.database() != 0 ? ", database " + target.database() : ""), target.cluster(),
                target.nodes().get(0).host(), target.nodes().get(0).port());
        connection.tls = target.tls().enabled();
        connection.target = target;
        try {
            connection.verify();
            // a node of a Redis Cluster addressed as one server answers PING, then MOVED for every key of the slots
            // other nodes serve: the tasks of those partitions failed on Redis' redirection (review 2026-12-06)
            if (!target.cluster() && connection.clusterEnabled()) {
                throw FailureMessages.clusterNodeAsStandalone(target);
            }
            // the checks ran on Spring's shared imperative connection, which closing their handles leaves open and
            // nothing uses again: closed now (found in review, 2026-12-07: one idle connection more per instance;
            // StartupChecksConnectionTest). Reopened on demand, should anything need it.
            connection.factory.resetConnection();
        } catch (RuntimeException e) {
            connection.close();
            if (e instanceof CliException cli) {
                throw cli;
            }
            if (FailureMessages.isSelectInClusterMode(e)) {
                throw FailureMessages.clusterNodeAsStandalone(target);
            }
            if (FailureMessages.isDatabaseOutOfRange(e)) {
                // the URL's database is one the server does not have (SELECT refused): named with the server's limit
                // (review 2026-12-06: 'cannot use Redis at …: ERR DB index is out of range', 'check that Redis is running')
                throw FailureMessages.databaseOutOfRange(e, target, databases(target));
            }
            throw FailureMessages.redis(e, target.hostPorts(), target.username(), target.tls());
        }
        return connection;
    }

    /** @return the Redis of {@code REDIS_URL} this connects to, or null for a Redis this process started */
    RedisTarget target() {
        return target;
    }

    /** How long asking a server for its {@code databases} setting may take, after it refused a database. */
    static final Duration DATABASES_QUERY_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Asks the server of a standalone target, through database 0 with the target's credentials and TLS, how many
     * databases it has ({@code CONFIG GET databases}), within {@link #DATABASES_QUERY_TIMEOUT}.
     *
     * @return the server's {@code databases} setting (databases 0 to that minus 1 exist), or -1 when it cannot be
     *         known: {@code CONFIG} refused to the user (ACL), renamed or disabled (managed services), or no answer
     */
    static int databases(RedisTarget target) {
        if (target.cluster()) {
            return -1;
        }
        RedisTarget database0 = new RedisTarget(target.nodes(), false, target.username(), target.password(), 0, target.tls());
        RedisConnection probe = new RedisConnection(null, factory(database0, DATABASES_QUERY_TIMEOUT), database0.where(), false,
                database0.nodes().get(0).host(), database0.nodes().get(0).port());
        try (var c = probe.factory.getConnection()) {
            java.util.Properties config = c.serverCommands().getConfig("databases");
            String value = config == null ? null : config.getProperty("databases");
            return value == null ? -1 : Integer.parseInt(value.trim());
        } catch (RuntimeException e) {
            return -1;
        } finally {
            probe.close();
        }
    }

    /** @return a Lettuce connection factory for the target (not started), with the client's default command timeout */
    static LettuceConnectionFactory factory(RedisTarget target) {
        return factory(target, null);
    }

    /**
     * @param commandTimeout how long a command may wait for its reply; null for the client's default (60 s)
     * @return a Lettuce connection factory for the target (not started)
     */
    static LettuceConnectionFactory factory(RedisTarget target, Duration commandTimeout) {
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
                .clientResources(KeepReading.clientResources());
        if (commandTimeout != null) {
            client.commandTimeout(commandTimeout);
        }
        SslOptions ssl = target.tls().enabled() ? target.tls().sslOptions() : null;
        if (target.cluster()) {
            ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .dynamicRefreshSources(true)
                            .build())
                    // a command for a node that is down fails at once instead of waiting in that node's queue for the
                    // command timeout (60 s) while its replica already serves the slot: the task restarts from its
                    // last commit and the retry follows the refreshed topology
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            if (ssl != null) {
                options.sslOptions(ssl);
            }
            client.clientOptions(options.build());
        } else if (ssl != null) {
            client.clientOptions(ClientOptions.builder().sslOptions(ssl).build());
        }
        if (ssl != null) {
            client.useSsl().verifyPeer(target.tls().verify());
        }
        if (target.cluster()) {
            RedisClusterConfiguration config = new RedisClusterConfiguration(
                    target.nodes().stream().map(RedisTarget.HostPort::toString).toList());
            config.setUsername(target.username());
            if (target.password() != null) {
                config.setPassword(target.password());
            }
            return new LettuceConnectionFactory(config, client.build());
        }
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(target.nodes().get(0).host(),
                target.nodes().get(0).port());
        config.setUsername(target.username());
        if (target.password() != null) {
            config.setPassword(target.password());
        }
        config.setDatabase(target.database());
        return new LettuceConnectionFactory(config, client.build());
    }

    /** Starts an embedded Redis 7.0.15 on a free loopback port. @throws IllegalStateException when it cannot start */
    public static RedisConnection embedded() {
        return local(LocalRedisServer.EMBEDDED);
    }

    /**
     * Starts {@code binary} on a free loopback port with persistence off, and PINGs it through the shared connection:
     * a server that does not answer fails here, and the client's first connection (Netty's and Lettuce's start-up,
     * 0.26–0.31 s of the replay's clock when the runtime made it; docs/BENCHMARKS.md, 2026-12-04 21:58 section) is made
     * on the thread that starts Redis, while the replay parses its input.
     *
     * @throws IllegalStateException when it cannot start, or does not answer once started
     */
    public static RedisConnection local(LocalRedisServer binary) {
        int port = freePort();
        LocalRedisProcess server;
        try {
            server = LocalRedisProcess.start(binary.embedded() ? embeddedBinary() : binary.path(), port);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start " + binary.describe() + " on port " + port + ": " + e.getMessage(), e);
        }
        String host = "127.0.0.1";
        // README: the embedding example starts here
        ClientResources resources = KeepReading.clientResources();   // shut down after the factory
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port),
                LettuceClientConfiguration.builder().clientResources(resources).build());
        // README: the embedding example ends here
        RedisConnection connection = new RedisConnection(server, factory, binary.describe() + " on " + host + ":" + port,
                false, host, port);
        try {
            connection.verify();
        } catch (RuntimeException e) {
            connection.close();
            throw new IllegalStateException("started " + binary.describe() + " on port " + port + ", but it does not answer: "
                    + e.getMessage(), e);
        }
        return connection;
    }

    /** PING through the shared connection (on a cluster, also its topology), bounded by the client's timeouts. */
    private void verify() {
        if (cluster) {
            try (var c = factory.getClusterConnection()) {
                c.ping();
                c.clusterGetNodes();
            }
        } else {
            try (var c = factory.getConnection()) {
                c.ping();
            }
        }
    }

    /**
     * @return whether the one server of a standalone connection is a node of a Redis Cluster ({@code INFO cluster}:
     *         {@code cluster_enabled:1}; the section is there on every Redis since 3.0); false when the server does
     *         not answer {@code INFO} (a proxy that does not forward it, {@code INFO} renamed): the check is a courtesy,
     *         not a condition
     */
    private boolean clusterEnabled() {
        try (var c = factory.getConnection()) {
            java.util.Properties info = c.serverCommands().info("cluster");
            return info != null && "1".equals(String.valueOf(info.getProperty("cluster_enabled")).trim());
        } catch (RuntimeException e) {
            log.debug("INFO cluster not answered: {}", e.toString());
            return false;
        }
    }

    /** @return the Redis host (the first seed node of a cluster) */
    public String host() {
        return host;
    }

    /** @return the Redis port (of the first seed node of a cluster) */
    public int port() {
        return port;
    }

    /** @return true when the connection uses TLS */
    public boolean tls() {
        return tls;
    }

    /** @return true when this process started the Redis (no {@code REDIS_URL}): it stops with the process */
    public boolean startedForThisRun() {
        return embedded != null;
    }

    /** @return true when connected to a Redis Cluster */
    public boolean isCluster() {
        return cluster;
    }

    /** @return the reactive template (Lettuce, one shared multiplexed connection) */
    public ReactiveStringRedisTemplate template() {
        return template;
    }

    /** @return the connection factory */
    public LettuceConnectionFactory factory() {
        return factory;
    }

    /** @return where this connects, for logs and reports */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        factory.destroy();
        // our resources (KeepReading), so Spring leaves them to us: after the client, threads and all
        factory.getClientConfiguration().getClientResources().ifPresent(r -> r.shutdown(0, 2, TimeUnit.SECONDS));
        if (embedded != null) {
            embedded.close();
        }
    }

    /** @return the redis-server binary inside {@code org.signal:embedded-redis}, extracted to a temporary file */
    static java.nio.file.Path embeddedBinary() {
        try {
            return redis.embedded.RedisExecProvider.defaultProvider().get().toPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the embedded redis-server: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps a Redis this connection started running at the JVM's shutdown until {@link #close()}, for at most
     * {@code hold}: {@code serve} closes it after its runtime has handed its tasks over ({@link LocalRedisProcess}). No
     * effect on a Redis of {@code REDIS_URL}.
     *
     * @return this
     */
    public RedisConnection holdStartedRedisOnShutdown(Duration hold) {
        if (embedded != null) {
            embedded.holdOnShutdown(hold);
        }
        return this;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for embedded Redis", e);
        }
    }
}
