package io.quantumtrader.streams.redis;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamCatalogTest {

    private static StreamCatalog parse(String yaml) {
        return StreamCatalog.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEntriesAndFallsBackToDefaults() {
        StreamCatalog c = parse("""
                defaults: { partitions: 2, maxlen: 1000, retention: 7d }
                streams:
                  market.tick.price: { key: symbol, partitions: 4, maxlen: 100000, retention: 1h }
                  audit.decision.log: { maxlen: 0, retention: permanent }
                """);
        assertThat(c.spec("market.tick.price")).isEqualTo(new StreamSpec("market.tick.price", "symbol", 4, 100000, Duration.ofHours(1)));
        assertThat(c.spec("audit.decision.log").retention()).isNull();
        assertThat(c.spec("audit.decision.log").maxLen()).isZero();
        assertThat(c.spec("unknown")).isEqualTo(new StreamSpec("unknown", null, 2, 1000, Duration.ofDays(7)));
        assertThat(c.spec("market.tick.price.dlq").partitions()).isEqualTo(4);
        assertThat(c.spec("market.tick.price.dlq").retention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void explainsBadEntries() {
        assertThatThrownBy(() -> parse("streams:\n  s: { partitions: 0 }\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'s'").hasMessageContaining("partitions must be at least 1");
        assertThatThrownBy(() -> parse("streams:\n  s: { retention: forever }\n"))
                .hasMessageContaining("duration 'forever'");
    }

    @Test
    void theProjectCatalogCoversTheDesignCatalog() {
        StreamCatalog c = StreamCatalog.load(Path.of("topology/streams.yaml"));
        assertThat(c.streams()).containsKeys("market.tick.price", "market.candle.new", "risk.evaluation.complete",
                "risk.kill_switch.activated", "trades.request.new", "position.closed", "audit.decision.log",
                "system.event_error");
        assertThat(c.spec("audit.decision.log").retention()).as("never trimmed").isNull();
        assertThat(c.spec("audit.decision.log").maxLen()).isZero();
        assertThat(c.spec("market.tick.price").retention()).isEqualTo(Duration.ofHours(1));
    }
}
