package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catalog stream's partition key holding another type (a string someone SET there) makes the health DOWN with one
 * problem naming the partition, the key and its type, and the other partitions are still judged. Before, Redis' bare
 * {@code WRONGTYPE} failed the whole check (the health endpoint said only that the check failed), and the start's
 * renumbering check matched that error's text; {@code groups.lua} now reports the key's type.
 */
class HealthKeyOfAnotherTypeTest {

    private static final StreamCatalog CATALOG = StreamCatalog.load(new java.io.ByteArrayInputStream("""
            defaults: { partitions: 1, maxlen: 0, retention: 30d }
            streams:
              ticks:  { key: symbol }
              priced: { key: symbol }
            """.getBytes(StandardCharsets.UTF_8)));

    @Test
    void aStreamKeyOfAnotherTypeIsDownNamingItAndTheOtherStreamsAreStillJudged() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String ticks = keys.stream("ticks", 0);
        String priced = keys.stream("priced", 0);
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(ticks, "pricing.0").block();
        template().opsForValue().set(priced, "not a stream").block();

        assertThat(admin.groups(priced).block(Duration.ofSeconds(10)))
                .isEqualTo(new StreamAdmin.StreamGroups("string", 0, java.util.List.of()));
        assertThat(admin.groups(ticks).block(Duration.ofSeconds(10)))
                .isEqualTo(new StreamAdmin.StreamGroups("stream", 0, java.util.List.of("pricing.0")));
        assertThat(admin.groups(keys.stream("absent", 0)).block(Duration.ofSeconds(10)).anotherType()).isFalse();

        StreamsHealth.Report r = new StreamsHealth(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns).withCatalog(CATALOG).withInstanceId("checker"), template(),
                StreamsHealth.Thresholds.defaults(), null).check().block(Duration.ofSeconds(10));

        assertThat(r.status()).isEqualTo(StreamsHealth.Status.DOWN);
        assertThat(r.problems()).containsExactly("priced/0: " + priced + " holds a string, not a stream: no task can "
                + "read or write it; rename or delete the key (docs/OPERATIONS.md \"Health\")");
        assertThat(r.sources()).containsKey("pricing.0/ticks/0");
    }
}
