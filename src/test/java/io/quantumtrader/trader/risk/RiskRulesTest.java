package io.quantumtrader.trader.risk;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RiskRulesTest {

    @Test
    void theProjectFileHoldsTheDefaults() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("config/risk-rules.yaml"))) {
            assertThat(RiskRules.load(in)).isEqualTo(RiskRules.defaults());
        }
    }

    @Test
    void badYamlIsExplained() {
        assertThatThrownBy(() -> RiskRules.load(new ByteArrayInputStream("risk-per-trade-pct: [".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid risk rules");
    }
}
