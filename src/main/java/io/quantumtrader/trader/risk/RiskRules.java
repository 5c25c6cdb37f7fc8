package io.quantumtrader.trader.risk;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;

/**
 * The risk kernel's rules (percentages are percent, not fractions), read from YAML ({@code risk-rules.yaml},
 * kebab- or snake-case keys) with sane defaults.
 *
 * @param startingEquityUsd   paper account equity at start, USD
 * @param riskPerTradePct     loss at the stop a trade may risk, percent of equity (seed catalog: 1 %)
 * @param dailyLossLimitPct   daily realized loss that trips the kill switch, percent of the day's starting equity (seed §5: 5 %)
 * @param maxDrawdownPct      drawdown from peak equity beyond which nothing new is approved, percent
 * @param maxOpenPositions    open positions at most
 * @param grossExposureCapPct gross notional of open positions at most, percent of equity
 * @param minEdgeScore        signals with a lower edge score are vetoed (0..100)
 * @param killSwitchResetsDaily when true the kill switch is reset at the next UTC day (a replay's stand-in for the
 *                            operator's morning reset); false (the default): only a human reset clears it (seed §5)
 */
public record RiskRules(double startingEquityUsd, double riskPerTradePct, double dailyLossLimitPct, double maxDrawdownPct,
                        int maxOpenPositions, double grossExposureCapPct, double minEdgeScore, boolean killSwitchResetsDaily) {

    /** @return 100,000 USD, 1 % per trade, 5 % daily loss, 10 % drawdown, 3 positions, 100 % gross, edge 20, human reset */
    public static RiskRules defaults() {
        return new RiskRules(100_000, 1.0, 5.0, 10.0, 3, 100.0, 20, false);
    }

    /** @return these rules with the daily kill switch reset on or off */
    public RiskRules withKillSwitchResetsDaily(boolean reset) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, reset);
    }

    /** @throws IllegalArgumentException on unreadable YAML */
    public static RiskRules load(InputStream yaml) {
        try {
            return YAMLMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE).build()
                    .readValue(yaml, RiskRules.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid risk rules: " + e.getMessage(), e);
        }
    }
}
