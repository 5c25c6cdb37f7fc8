package io.quantumtrader.streams.robust;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.PricedTick;
import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;

import java.time.Duration;

/**
 * {@link HugeEntriesTest}'s instance, as a child JVM with a 256 MiB heap ({@code InstanceProcess}): ticks → to-cents →
 * priced on the given namespace; prints {@code STARTED huge}, then, once drained or after 60 s,
 * {@code RESULT drained=<bool> restarts=<n> rejected=<n> in=<n>}, and exits.
 *
 * <p>Arguments: redis port, namespace.
 */
public final class HugeEntriesInstance {

    private HugeEntriesInstance() {
    }

    public static void main(String[] args) {
        RedisConnection redis = RedisConnection.of("redis://127.0.0.1:" + args[0]);
        TopologyBuilder b = new TopologyBuilder("huge-entries");
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .mapValues(t -> new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100)), Named.as("to-cents"))
                .to("priced");
        try (StreamsRuntime runtime = new StreamsRuntime(b.build(), StreamsConfig.defaults().withNamespace(args[1]),
                redis.template())) {
            runtime.start();
            System.out.println("STARTED huge");
            boolean drained = runtime.awaitDrained(Duration.ofSeconds(60));
            System.out.println("RESULT drained=" + drained + " restarts=" + runtime.counters().restarts() + " rejected="
                    + runtime.counters().rejected() + " in=" + runtime.counters().recordsIn());
            System.out.flush();
        } finally {
            redis.close();
        }
        System.exit(0);
    }
}
