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
 * {@link HugeEntriesTest}'s instance, as a child JVM with a 256 MiB heap ({@code InstanceProcess}), on the given
 * namespace; prints {@code STARTED huge}, then, once drained or after 60 s,
 * {@code RESULT drained=<bool> restarts=<n> rejected=<n> in=<n>}, and exits.
 *
 * <p>Arguments: redis port, namespace, and {@code global} for ticks left-joined with a global table of {@code limits}
 * (else ticks → to-cents → priced).
 */
public final class HugeEntriesInstance {

    private HugeEntriesInstance() {
    }

    public static void main(String[] args) {
        RedisConnection redis = RedisConnection.of("redis://127.0.0.1:" + args[0]);
        TopologyBuilder b = new TopologyBuilder("huge-entries");
        if (args.length > 2 && args[2].equals("global")) {   // ticks left-joined with the global table of "limits"
            io.quantumtrader.streams.dsl.GlobalTable<String, Tick> limits = b.globalTable("limits", Tick.class,
                    io.quantumtrader.streams.dsl.Materialized.as("limits-store"));
            b.stream("ticks", Tick.class, Named.as("ticks-in"))
                    .leftJoin(limits, (k, v) -> v.symbol(), (tick, limit) -> new PricedTick(tick.symbol(), tick.seq(),
                            limit == null ? -1 : Math.round(limit.price())), Named.as("with-limit"))
                    .to("priced");
        } else {
            b.stream("ticks", Tick.class, Named.as("ticks-in"))
                    .mapValues(t -> new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100)), Named.as("to-cents"))
                    .to("priced");
        }
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
