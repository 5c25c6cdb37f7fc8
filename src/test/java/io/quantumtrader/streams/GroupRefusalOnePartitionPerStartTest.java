package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.ReadOffset;

import java.time.Duration;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Found in review (2026-12-07) of the refusal to make a lost consumer group again (92e404dc): StreamsRuntime.start creates the groups one after the other (Flux.concat) and stops at the first
 * refusal, which names ONE stream partition. A group lost on every partition (XGROUP DESTROY on each, as the docs
 * themselves tell operators to do, or a loss) takes one failed start per partition per input to find out: here 2
 * partitions, and the start after the operator ran the advised XGROUP CREATE is refused again for the other one.
 */
class GroupRefusalOnePartitionPerStartTest {

    @Test
    void oneStartNamesEveryGroupItRefusesToMakeAgain() {
        String ns = RedisTestSupport.freshNamespace();
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withCatalog(RenumberedSubtopologyTest.CATALOG);
        for (int i = 1; i <= 6; i++) {
            RedisTestSupport.publisher(ns, RenumberedSubtopologyTest.CATALOG).send("a", "S" + i, new Tick("S" + i, 1.0, i),
                    System.currentTimeMillis()).block();
        }
        try (StreamsRuntime v1 = new StreamsRuntime(RenumberedSubtopologyTest.oldRelease(), config.withInstanceId("v1"), template())) {
            v1.start();
            assertThat(v1.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
        for (int p = 0; p < 2; p++) {
            template().opsForStream().destroyGroup(new StreamKeys(ns).stream("a", p), "pricing.0").block();
        }
        Throwable first;
        try (StreamsRuntime v2 = new StreamsRuntime(RenumberedSubtopologyTest.oldRelease(), config.withInstanceId("v2"), template())) {
            first = catchThrowable(v2::start);
        }
        assertThat(first).isNotNull();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("XGROUP CREATE (\\S+) (\\S+) (\\S+) ").matcher(first.getMessage());
        int advised = 0;
        while (m.find()) {
            template().opsForStream().createGroup(m.group(1), ReadOffset.from(m.group(3)), m.group(2)).block();   // the advice
            advised++;
        }
        assertThat(advised).as("the groups one refusal names: both partitions'\n%s", first.getMessage()).isEqualTo(2);
        Throwable second;
        try (StreamsRuntime v3 = new StreamsRuntime(RenumberedSubtopologyTest.oldRelease(), config.withInstanceId("v3"), template())) {
            second = catchThrowable(v3::start);
        }
        assertThat(second).as("the start after following the refusal's advice").isNull();
    }
}
