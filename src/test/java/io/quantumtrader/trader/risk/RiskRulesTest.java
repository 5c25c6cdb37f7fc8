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

    /**
     * Every rule must be given and every key must be a rule: a limit left out is never silently 0 (the file said so
     * until 2026-12-05; Jackson refused it with a message that named no rule), and a typo is refused, naming the key.
     */
    @Test
    void aMissingRuleOrAKeyThatIsNoRuleIsRefusedByName() throws Exception {
        String rules = Files.readString(Path.of("config/risk-rules.yaml"));
        assertThatThrownBy(() -> RiskRules.load(yaml(rules.replaceAll("(?m)^daily-loss-limit-pct:.*$", ""))))
                .hasMessage("invalid risk rules: rule 'daily-loss-limit-pct' is missing");
        assertThatThrownBy(() -> RiskRules.load(yaml(rules + "\nmax-leverage: 3\n")))
                .hasMessage("invalid risk rules: 'max-leverage' is no rule");
    }

    private static InputStream yaml(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
