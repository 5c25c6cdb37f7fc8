package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Found in review (2026-12-07) of the refusal to make a lost consumer group again (92e404dc): create-group.lua itself DELs the group's dedupe log when it makes the group again for another
 * source (the documented procedure after RenumberedSubtopologyCheck's refusal: XGROUP DESTROY, start), but leaves the
 * meta hash's 'dedupe-ids'. The new StreamTask.checkDedupeLog then reports an ERROR "did Redis lose part of its data?"
 * and qt.streams.state.lost{what=dedupe_log} on an operator's documented, loss-free procedure.
 */
class DedupeLogDroppedByGroupRecreationTest {

    @Test
    void theDocumentedReplacementOfASubTopologyIsNotReportedAsLostState() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(RenumberedSubtopologyTest.CATALOG);
        for (int i = 1; i <= 3; i++) {
            RedisTestSupport.publisher(ns, RenumberedSubtopologyTest.CATALOG).send("a", "S" + i, new Tick("S" + i, 1.0, i),
                    System.currentTimeMillis()).block();
        }
        try (StreamsRuntime v1 = new StreamsRuntime(RenumberedSubtopologyTest.twoReaders(), config.withInstanceId("v1"), template())) {
            v1.start();
            assertThat(v1.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        try (StreamsRuntime v2 = new StreamsRuntime(RenumberedSubtopologyTest.auditReplacedByRisk(), config.withInstanceId("v2"), template())) {
            assertThatThrownBy(v2::start).hasMessageContaining("was made for source a-audit-in");
        }
        for (int p = 0; p < 2; p++) {   // the operator follows the refusal (docs/OPERATIONS.md)
            template().opsForStream().destroyGroup(new StreamKeys(ns).stream("a", p), "pricing.1").block();
        }
        try (StreamsRuntime v2 = new StreamsRuntime(RenumberedSubtopologyTest.auditReplacedByRisk(), config.withInstanceId("v2b"), template())) {
            v2.start();
            assertThat(v2.awaitDrained(Duration.ofSeconds(20))).isTrue();
            assertThat(v2.metrics().registry().find("qt.streams.state.lost").counters().stream()
                    .mapToDouble(c -> c.count()).sum())
                    .as("state reported lost after the documented XGROUP DESTROY + start (the engine deleted the log itself)").isZero();
        }
    }
}
