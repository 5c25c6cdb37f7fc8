package io.quantumtrader.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gauges a health check publishes ({@code qt.streams.group.*}, {@code qt.streams.stream.ungrouped.entries}) say
 * what the latest check found, not what an earlier one did: a stream that gets a consumer group no longer shows
 * "entries with no group", and a group that was destroyed no longer shows its last lag (before, both kept their last
 * value for ever: an alert on them fired for a problem that was gone, on a group that did not exist any more).
 */
class StaleHealthGaugesTest {

    /** ticks and priced (the pricing topology's), and orders, another application's (also HealthGaugesDuringOutageTest's). */
    static final StreamCatalog CATALOG = StreamCatalog.load(new java.io.ByteArrayInputStream("""
            defaults: { partitions: 1, maxlen: 0, retention: 30d }
            streams:
              ticks:  { key: symbol }
              priced: { key: symbol }
              orders: { key: order }
            """.getBytes(StandardCharsets.UTF_8)));

    @Test
    void gaugesOfGroupsAndStreamsTheLatestCheckDidNotFindAreRemoved() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = CATALOG;
        RedisTestSupport.publisher(ns, catalog).sendAll(Flux.range(0, 7)
                .map(i -> new io.quantumtrader.streams.redis.EventPublisher.Event("orders", "O" + i, i, 1_700_000_000_000L + i)), 7).block();
        new StreamAdmin(template()).ensureGroup(new StreamKeys(ns).stream("ticks", 0), "pricing.0").block();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(catalog);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StreamsHealth health = new StreamsHealth(EngineIntegrationTest.pricingTopology(), config, template(),
                StreamsHealth.Thresholds.defaults(), null).withMeters(meters);

        health.check().block(Duration.ofSeconds(10));
        assertThat(meters.get("qt.streams.stream.ungrouped.entries").tag("stream", "orders").gauge().value()).isEqualTo(7);

        // another application creates its group on the stream: the entries are no longer "with no consumer group"
        String orders = new StreamKeys(ns).stream("orders", 0);
        new StreamAdmin(template()).ensureGroup(orders, "billing.0").block();
        StreamsHealth.Report withGroup = health.check().block(Duration.ofSeconds(10));
        assertThat(withGroup.observations()).noneMatch(o -> o.startsWith("orders/0"));
        assertThat(meters.get("qt.streams.group.lag").tag("group", "billing.0").gauge().value()).isEqualTo(7);
        assertThat(meters.find("qt.streams.stream.ungrouped.entries").tag("stream", "orders").gauges())
                .as("the stream has a consumer group now: no ungrouped entries are shown for it")
                .allSatisfy(g -> assertThat(g.value()).isZero());

        // the group is destroyed: its lag, pending and consumers are not shown any more
        template().execute(org.springframework.data.redis.core.script.RedisScript.of(
                "return redis.call('XGROUP', 'DESTROY', KEYS[1], ARGV[1])", Long.class), List.of(orders), List.of("billing.0")).blockLast();
        health.check().block(Duration.ofSeconds(10));
        for (String gauge : List.of("qt.streams.group.lag", "qt.streams.group.pending", "qt.streams.group.consumers.live",
                "qt.streams.group.consumers.stale")) {
            assertThat(meters.find(gauge).tag("group", "billing.0").gauges()).as("%s of a destroyed group", gauge).isEmpty();
        }
        assertThat(meters.get("qt.streams.stream.ungrouped.entries").tag("stream", "orders").gauge().value())
                .as("no group again: the entries are ungrouped again").isEqualTo(7);
        assertThat(meters.get("qt.streams.group.lag").tag("group", "pricing.0").gauge().value())
                .as("this topology's own groups are still shown").isZero();
    }
}
