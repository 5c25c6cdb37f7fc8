package io.quantumtrader.app;

import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay report's tick → exit decision latency ({@link ReplayReport#latency}) against a real Redis: entries written
 * with chosen ids (their arrival times, ms), so that every figure is known here without the report's code.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReplayLatencyTest {

    @RegisterExtension
    static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();

    private static void add(RedisConnection redis, String key, long arrivalMs, String id, String traceId) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        if (traceId != null) {
            fields.put("traceid", traceId);
        }
        fields.put("data", "{}");
        redis.template().opsForStream().add(MapRecord.create(key, fields).withId(RecordId.of(arrivalMs + "-0"))).block();
    }

    @Test
    void eachExitIsMeasuredFromTheFirstArrivalOfItsTickAndExitsWithoutATickAreLeftOut() {
        StreamKeys keys = new StreamKeys("latency");
        StreamCatalog catalog = StreamCatalog.defaults();
        assertThat(catalog.spec(QuantumTraderTopology.TICKS).partitions()).isEqualTo(1);
        String ticks = keys.stream(QuantumTraderTopology.TICKS, 0);
        String exits = keys.stream(QuantumTraderTopology.EXITS, 0);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            // 5,000 ticks, one per ms from 1,000 ms (more than two XRANGE pages); their trace id is their id
            for (int i = 0; i < 5_000; i++) {
                add(c, ticks, 1_000 + i, "tick-" + i, null);
            }
            add(c, ticks, 7_000, "tick-10", null);                  // published again later: the first arrival counts
            add(c, exits, 6_100, "exit-a", "tick-10");              // 6,100 - 1,010 = 5,090
            add(c, exits, 6_200, "exit-b", "tick-4999");            // 6,200 - 5,999 = 201
            add(c, exits, 6_300, "exit-c", "tick-2500");            // 6,300 - 3,500 = 2,800
            add(c, exits, 6_400, "exit-d", "tick-2500");            // a second exit of the same tick: 2,900
            add(c, exits, 6_500, "exit-e", "no-such-tick");         // no tick: not measured

            Map<String, Long> latency = ReplayReport.latency(c.template(), keys, catalog);

            // four latencies, sorted 201, 2800, 2900, 5090: p50 = index 2, p95 and p99 = index 3
            assertThat(latency).containsExactly(Map.entry("p50", 2_900L), Map.entry("p95", 5_090L), Map.entry("p99", 5_090L),
                    Map.entry("max", 5_090L));
            assertThat(ReplayReport.latency(c.template(), new StreamKeys("empty"), catalog)).as("no exits").isEmpty();
        }
    }
}
