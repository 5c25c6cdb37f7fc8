package io.quantumtrader.app;

import org.springframework.data.redis.connection.ClusterInfo;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.util.function.Supplier;

/**
 * The probe whose answer proves that this instance can work on Redis, for {@link RedisReachability}.
 * <ul>
 *   <li>One server: {@code PING}.</li>
 *   <li>A Redis Cluster: {@code CLUSTER INFO} reports {@code cluster_state:ok}, and every master that serves slots in
 *       the topology ({@code CLUSTER NODES}, as the node Lettuce asks sees it) answers {@code PING}. With a master
 *       down and no replica to take over, every node refuses keyed commands ({@code CLUSTERDOWN}, Redis'
 *       {@code cluster-require-full-coverage yes}, its default) and no task can read or commit; Spring's
 *       {@code ping()} asks one node, which answered all along, so the pod stayed ready through such an outage
 *       ({@code ClusterMasterDownReadinessTest}, found 2026-12-06). A master this instance alone cannot reach (a
 *       partition between the two) fails the probe too: the tasks of its slots cannot work here.</li>
 * </ul>
 * A failed probe names the cause in one line (the state, or which master did not answer and why).
 */
final class RedisPing {

    private RedisPing() {
    }

    /**
     * @param redis   the application's template
     * @param cluster whether {@code redis} is connected to a Redis Cluster
     * @return a probe, subscribed anew at each ping: completes with {@code PONG}, or fails naming the cause
     */
    static Supplier<Mono<String>> of(ReactiveStringRedisTemplate redis, boolean cluster) {
        if (!cluster) {
            return () -> redis.execute(c -> c.ping()).next();
        }
        return () -> redis.execute(c -> clusterProbe((ReactiveRedisClusterConnection) c)).next();
    }

    private static Mono<String> clusterProbe(ReactiveRedisClusterConnection c) {
        return c.clusterGetClusterInfo()
                .flatMap(info -> "ok".equals(info.getState()) ? Mono.just(info) : Mono.error(notOk(info)))
                .thenMany(c.clusterGetNodes()
                        .filter(n -> n.isMaster() && n.getSlotRange().getSlotsArray().length > 0)
                        .flatMap(n -> c.ping(n).onErrorMap(e -> new IllegalStateException("master " + n.asString()
                                + " (slots " + n.getSlotRange() + ") does not answer: " + e.getMessage(), e))))
                .then(Mono.just("PONG"));
    }

    private static IllegalStateException notOk(ClusterInfo info) {
        return new IllegalStateException("cluster_state is " + info.getState() + " (slots failed: " + info.getSlotsFail()
                + ", possibly failed: " + info.getSlotsPfail() + "): the cluster refuses commands until every slot has a master");
    }
}
