package io.quantumtrader.app;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): bench's loss check (BenchCommand.runTopology: "processed X of N") compares recordsIn, the input entries in
 * committed batches, with N. A record that is dead-lettered (or dropped) is in recordsIn, so a run in which a record
 * produced no output passes, and its rate is printed as if every record went through the stage. Here 1 of 200 input
 * entries cannot be read as a PriceTick: the stateless stage writes 199 outputs and bench reports a rate.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BenchLossCheckTest {

    @Test
    void aRecordWithoutOutputFailsTheRun() throws Exception {
        ReplayFixture.LocalRedis server = ReplayFixture.startRedis();
        try (RedisConnection redis = RedisConnection.of(server.url());
             RedisDatabaseWatch watch = RedisDatabaseWatch.of(redis)) {
            ReactiveStringRedisTemplate t = redis.template();
            BenchCommand bench = new BenchCommand();
            bench.records = 200;
            bench.batchSize = 50;
            bench.keys = 10;
            Field database = BenchCommand.class.getDeclaredField("database");
            database.setAccessible(true);
            database.set(bench, watch);
            String ns = "review-loss";
            StreamKeys keys = new StreamKeys(ns);
            new EventPublisher(t, keys, StreamCatalog.defaults(), "review").sendAll(Flux.range(0, 199).map(i ->
                    new EventPublisher.Event("ticks", "S" + (i % 10), new PriceTick("S" + (i % 10), 100, 1, 1_700_000_000_000L + i),
                            1_700_000_000_000L + i)), 50).block();
            t.opsForStream().add(MapRecord.create(keys.stream("ticks", 0), Map.of("id", "bad-1", "time", "2023-11-14T22:13:20Z",
                    "subject", "S0", "data", "{\"symbol\":\"S0\",\"price\":\"not a number\"}"))).block();
            Method run = BenchCommand.class.getDeclaredMethod("runTopology", ReactiveStringRedisTemplate.class, String.class,
                    io.quantumtrader.streams.dsl.Topology.class, int.class, boolean.class);
            run.setAccessible(true);
            Object rate = null;
            Throwable failure = null;
            try {
                rate = run.invoke(bench, t, ns, BenchCommand.statelessTopology(), 200, false);
            } catch (InvocationTargetException e) {
                failure = e.getCause();
            }
            Long outputs = t.opsForStream().size(keys.stream("notional", 0)).block();
            assertThat(failure).as("bench reported " + rate + " records/s with " + outputs + " outputs for 200 records").isNotNull();
        } finally {
            server.stop();
        }
    }
}
