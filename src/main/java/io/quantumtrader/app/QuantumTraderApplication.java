package io.quantumtrader.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The long-running service ({@code serve}): runs the trading topology on Redis with Actuator health
 * ({@code /actuator/health}, liveness and readiness groups) and Prometheus metrics ({@code /actuator/prometheus}).
 * Redis: {@code REDIS_URL}, or an embedded Redis when unset.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(QuantumTraderProperties.class)
@Import(OperationsConfiguration.class)
public class QuantumTraderApplication {

    /**
     * {@code REDIS_URL} and the settings beside it ({@link RedisTarget#fromEnvironment}); Spring Boot's
     * {@code spring.data.redis.cluster.nodes} (in application.yml or as an environment variable) names cluster seed
     * nodes as {@code REDIS_CLUSTER_NODES} does.
     */
    @Bean(destroyMethod = "close")
    RedisConnection redisConnection(org.springframework.core.env.Environment spring, QuantumTraderProperties p) {
        java.util.Map<String, String> env = springRedisSettings(spring, System.getenv());
        RedisTarget target = RedisTarget.fromEnvironment(env);
        if (target == null) {
            // found in review (2026-12-05): an overlay that lost REDIS_URL gave a healthy pod with throwaway state
            org.slf4j.LoggerFactory.getLogger(QuantumTraderApplication.class).warn("REDIS_URL is not set: serving on an "
                    + "embedded Redis in this process, whose data is lost when it stops (for development only); set "
                    + "REDIS_URL=" + RedisUrl.SHAPE);
            // stopped when the context closes, after the runtime's hand-over (its own shutdown hook waits that long)
            return RedisConnection.embedded().holdStartedRedisOnShutdown(p.shutdownTimeout().plusSeconds(10));
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(QuantumTraderApplication.class);
        return RedisAtStart.connect(target, p.redisStartWait(), log::warn, d -> Thread.sleep(d.toMillis()));
    }

    /** Spring Boot's Redis settings that say where Redis is, other than its URL and cluster nodes, which are read. */
    static final java.util.List<String> SPRING_REDIS_ADDRESS = java.util.List.of("spring.data.redis.host",
            "spring.data.redis.port", "spring.data.redis.password", "spring.data.redis.username",
            "spring.data.redis.database", "spring.data.redis.ssl.enabled", "spring.data.redis.sentinel.master");

    /**
     * @return {@code env} with Spring Boot's standard Redis settings where they say the same as this service's:
     *         {@code spring.data.redis.url} as {@code REDIS_URL} (when that is not set), {@code
     *         spring.data.redis.cluster.nodes} as {@code REDIS_CLUSTER_NODES}
     * @throws CliException when Redis is given by another of Spring Boot's settings ({@link #SPRING_REDIS_ADDRESS}) and
     *                      not by {@code REDIS_URL}: the service would have run on an embedded Redis with one WARN,
     *                      its data lost at its stop (found in review, 2026-12-07)
     */
    static java.util.Map<String, String> springRedisSettings(org.springframework.core.env.Environment spring,
                                                             java.util.Map<String, String> environment) {
        java.util.Map<String, String> env = new java.util.HashMap<>(environment);
        String nodes = spring.getProperty("spring.data.redis.cluster.nodes");
        if (nodes != null && !nodes.isBlank()) {
            env.put(RedisTarget.CLUSTER_NODES, nodes);
        }
        String url = spring.getProperty("spring.data.redis.url");
        boolean given = env.get("REDIS_URL") != null && !env.get("REDIS_URL").isBlank();
        if (!given && url != null && !url.isBlank()) {
            env.put("REDIS_URL", url);
            given = true;
        }
        if (!given && (nodes == null || nodes.isBlank())) {
            for (String setting : SPRING_REDIS_ADDRESS) {
                if (spring.getProperty(setting) != null) {
                    throw new CliException(CliException.INPUT, "serve: " + setting + " is set, but this service reads "
                            + "Redis' address from REDIS_URL (or spring.data.redis.url), not from Spring Boot's host, port "
                            + "and password settings", "set REDIS_URL=" + RedisUrl.SHAPE, null);
                }
            }
        }
        return env;
    }

    /** Spring Boot's Redis auto-configuration and health indicator back off to (and use) this factory. */
    @Bean(destroyMethod = "")
    LettuceConnectionFactory redisConnectionFactory(RedisConnection redis) {
        return redis.factory();
    }

    @Bean
    ReactiveStringRedisTemplate reactiveStringRedisTemplate(RedisConnection redis) {
        return redis.template();
    }

    /** The risk rules of {@code quantum-trader.risk-rules}, else {@code config/risk-rules.yaml}, else the defaults. */
    @Bean
    RiskRulesFile riskRules(QuantumTraderProperties p) {
        return RiskRulesFile.load(p.riskRules() == null || p.riskRules().isBlank() ? null : java.nio.file.Path.of(p.riskRules().strip()));
    }

    @Bean
    Topology topology(RiskRulesFile riskRules) {
        return QuantumTraderTopology.build(io.quantumtrader.trader.regime.RegimeRules.defaults(), riskRules.rules());
    }

    @Bean
    StreamsConfig streamsConfig(QuantumTraderProperties p) {
        io.quantumtrader.streams.redis.StreamCatalog catalog = ReplayCommand.loadCatalog();
        StreamsConfig config = StreamsConfig.defaults()
                .withNamespace(p.namespace())
                .withInstanceId(p.instanceId() != null && !p.instanceId().isBlank() ? p.instanceId() : hostName());
        config = setting("batch-size", config, c -> c.withBatchSize(p.batchSize()));
        config = config.withCatalog(catalog);
        config = setting("stale-consumer-idle", config, c -> c.withStaleConsumerIdle(p.staleConsumerIdle()));
        config = config.withIngest(p.ingestLimits());
        config = setting("lease-ttl", config, c -> c.withLeaseTtl(p.leaseTtl()));
        return config.withAlignment(p.alignment());
    }

    /**
     * @return {@code apply(config)}; the engine's refusal of the value is named as the setting
     *         ({@code quantum-trader.<name>} and its environment variable): it named the engine's field, e.g.
     *         "leaseTtl must be at least 300 ms" (review 2026-12-06)
     */
    private static StreamsConfig setting(String name, StreamsConfig config, java.util.function.UnaryOperator<StreamsConfig> apply) {
        try {
            return apply.apply(config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quantum-trader." + name + " (QUANTUM_TRADER_"
                    + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "): " + e.getMessage(), e);
        }
    }

    @Bean
    StreamsRuntimeLifecycle streamsRuntime(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis,
                                           MeterRegistry registry, QuantumTraderProperties p, RedisDatabaseWatch database) {
        // a task failing because Redis refuses REDIS_URL's database says so in words, not in Redis' raw reply
        return new StreamsRuntimeLifecycle(new StreamsRuntime(topology, config, redis, registry)
                .withCommitOptions(p.commitOptions()).withInputNotifier(p.inputNotifier()).withFailureDescription(database),
                p.shutdownTimeout());
    }

    @Bean
    StreamsHealth streamsHealth(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis,
                                StreamsRuntimeLifecycle runtime, QuantumTraderProperties p, MeterRegistry registry) {
        return new StreamsHealth(topology, config, redis, new StreamsHealth.Thresholds(p.maxLag(), p.maxOldestPendingAge(),
                p.maxStaleConsumers(), p.staleConsumerIdle()), () -> runtime.runtime().state()).withMeters(registry);
    }

    @Bean
    StreamsHealthIndicator streamsHealthIndicator(StreamsHealth health, StreamsRuntimeLifecycle runtime,
                                                  RedisCredentialsWatch credentials, RedisDatabaseWatch database) {
        return new StreamsHealthIndicator(health, () -> runtime.runtime().group(), credentials::refusal, database::problem);
    }

    /** Names a database Redis refuses on reconnect (restarted with fewer {@code databases}) as a start does. */
    @Bean(destroyMethod = "close")
    RedisDatabaseWatch redisDatabaseWatch(RedisConnection redis) {
        return new RedisDatabaseWatch(redis.factory().getClientResources(), redis.target(), RedisConnection::databases);
    }

    @Bean(destroyMethod = "close")
    RedisCredentialsWatch redisCredentialsWatch(RedisConnection redis, QuantumTraderProperties p,
                                                org.springframework.context.ApplicationContext context) {
        return new RedisCredentialsWatch(redis.factory().getRequiredNativeClient(), redis.factory().getClientResources(),
                p.credentialsRefusedRestart(), message -> {
            org.slf4j.LoggerFactory.getLogger(RedisCredentialsWatch.class).error(message);
            org.springframework.boot.availability.AvailabilityChangeEvent.publish(context,
                    org.springframework.boot.availability.LivenessState.BROKEN);
        });
    }

    @Bean
    RuntimeHealthIndicator runtimeHealthIndicator(StreamsRuntimeLifecycle runtime) {
        return new RuntimeHealthIndicator(() -> runtime.runtime().state());
    }

    /**
     * Readiness {@code redisReachable}: DOWN once Redis has not answered a PING (every 2 s) for one lease TTL (10 s by
     * default): by then this pod's task leases have expired and the others run its tasks. On a Redis Cluster the probe
     * is every master serving slots and {@code cluster_state:ok} ({@link RedisPing}).
     */
    @Bean
    RedisReachability redisReachableHealthIndicator(ReactiveStringRedisTemplate redis, RedisConnection connection,
                                                    QuantumTraderProperties p, MeterRegistry registry,
                                                    RedisDatabaseWatch database) {
        return new RedisReachability(RedisPing.of(redis, connection.isCluster()), java.time.Duration.ofSeconds(2), p.leaseTtl())
                .withMeter(registry, io.quantumtrader.trader.QuantumTraderTopology.APPLICATION_ID).withKnownCause(database::problem);
    }

    @Bean
    HeartbeatPublisher heartbeatPublisher(StreamsRuntimeLifecycle runtime, StreamsHealth health, StreamsConfig config,
                                          ReactiveStringRedisTemplate redis, QuantumTraderProperties p) {
        if (p.heartbeatInterval().isNegative() || p.heartbeatInterval().isZero()) {
            // here, before anything starts: the heartbeat's job refused it once the runtime had joined the group, as
            // "interval must be positive", naming no setting (review 2026-12-06)
            throw new IllegalArgumentException("quantum-trader.heartbeat-interval (QUANTUM_TRADER_HEARTBEAT_INTERVAL) must be "
                    + "positive, was " + p.heartbeatInterval());
        }
        EventPublisher publisher = EventPublisher.of(redis, config, config.instanceId());
        return new HeartbeatPublisher(runtime.runtime(), health, publisher, p.heartbeatInterval());
    }

    private static String hostName() {
        String pod = System.getenv("HOSTNAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return StreamsConfig.defaults().instanceId();
        }
    }
}
