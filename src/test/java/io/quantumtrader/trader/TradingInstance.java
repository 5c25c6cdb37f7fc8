package io.quantumtrader.trader;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import io.quantumtrader.streams.scaleout.ScaleOutInstance;

import java.time.Duration;

/**
 * One instance of the trading topology as its own process, for the chaos tests ({@link TradingChaos}): event-time alignment on,
 * every stream keyed by symbol or account on {@code partitions} partitions ({@link TradingFixtures#catalog(int)}). Runs
 * until SIGTERM (graceful close) or SIGKILL, printing {@code STARTED <id>} and then a status line every 200 ms.
 *
 * <p>Arguments: redis port, namespace, instance id, lease TTL ms, batch size, partitions.
 */
public final class TradingInstance {

    private TradingInstance() {
    }

    public static void main(String[] args) throws Exception {
        RedisConnection redis = RedisConnection.of("redis://127.0.0.1:" + Integer.parseInt(args[0]));
        String instanceId = args[2];
        StreamsConfig config = StreamsConfig.defaults().withAlignment(TradingFixtures.ALIGNMENT).withNamespace(args[1])
                .withInstanceId(instanceId).withCatalog(TradingFixtures.catalog(Integer.parseInt(args[5])))
                .withLeaseTtl(Duration.ofMillis(Long.parseLong(args[3]))).withBatchSize(Integer.parseInt(args[4]));
        ScaleOutInstance.runUntilKilled(new StreamsRuntime(QuantumTraderTopology.build(), config, redis.template()), redis, instanceId);
    }
}
