package io.quantumtrader.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quantumtrader.trader.risk.RiskRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Found in review (2026-12-08, docs against code): docs/TRADING-PIPELINE.md says "Every rule is required but two optional ones"
 * (entry-gap-tolerance-pct, price-band-max-widening), while {@link RiskRules#OPTIONAL} has five: also
 * volatility-spike-stale-candles, pending-entry-expiry-candles and max-hold-candles (config/risk-rules.yaml marks all
 * five "optional").
 */
class RiskRulesDocTest {

    @Test
    void theRequiredRulesParagraphNamesEveryOptionalRule() throws IOException {
        String doc = Files.readString(Path.of("docs/TRADING-PIPELINE.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("**Every rule is required but");
        assertThat(start).isPositive();
        int end = doc.indexOf("\n- **", start + 1);
        String paragraph = doc.substring(start, end < 0 ? doc.length() : end);

        Set<String> missing = new TreeSet<>();
        for (String rule : RiskRules.OPTIONAL.keySet()) {
            if (!paragraph.contains("`" + rule + "`")) {
                missing.add(rule);
            }
        }
        assertThat(missing).as("optional rules (RiskRules.OPTIONAL) the paragraph does not name").isEmpty();
    }
}
