package io.quantumtrader.trader.risk;

import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.RiskEvaluation.Decision;
import io.quantumtrader.trader.events.RiskEvaluation.PositionAllowed;
import io.quantumtrader.trader.events.RiskEvaluation.RiskDimensions;
import io.quantumtrader.trader.events.Signal;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges an advisory signal against the account and the rules (seed event flow: four risk dimensions).
 * <ul>
 *   <li>trade risk: edge score at least {@code minEdgeScore} and a stop on the right side of entry;</li>
 *   <li>daily risk: the day's realized loss below {@code dailyLossLimitPct};</li>
 *   <li>drawdown: below {@code maxDrawdownPct} from peak equity;</li>
 *   <li>system integrity: kill switch off, fewer than {@code maxOpenPositions}, no open position in the symbol.</li>
 * </ul>
 * All passed: APPROVED, risking {@code riskPerTradePct} of equity, or MODIFIED when the gross exposure cap forces a
 * smaller size; otherwise VETOED naming the first failed check. Plain Java.
 */
public final class RiskKernel {

    private final RiskRules rules;

    public RiskKernel(RiskRules rules) {
        this.rules = rules;
    }

    /** @param symbolOpen whether a position in the signal's symbol is open */
    public RiskEvaluation evaluate(Signal s, Account account, boolean symbolOpen, long now) {
        double stopDistance = Math.abs(s.entryPrice() - s.stopLoss());
        boolean trade = s.edgeScore() >= rules.minEdgeScore() && stopDistance > 0;
        boolean daily = account.dailyLossPct() < rules.dailyLossLimitPct();
        boolean drawdown = account.drawdownPct() < rules.maxDrawdownPct();
        boolean integrity = !account.killSwitch() && account.openPositions() < rules.maxOpenPositions() && !symbolOpen;
        RiskDimensions dims = new RiskDimensions(trade, daily, drawdown, integrity);
        String id = "eval-" + s.signalId();
        if (!dims.allPassed()) {
            String reason = !trade ? (s.edgeScore() < rules.minEdgeScore() ? "edge score " + s.edgeScore() + " < " + rules.minEdgeScore()
                    : "no stop distance")
                    : !daily ? String.format("daily loss %.2f%% reached the %.1f%% limit", account.dailyLossPct(), rules.dailyLossLimitPct())
                    : !drawdown ? String.format("drawdown %.2f%% reached the %.1f%% limit", account.drawdownPct(), rules.maxDrawdownPct())
                    : account.killSwitch() ? "kill switch active"
                    : symbolOpen ? "a position in " + s.symbol() + " is open"
                    : "max open positions " + rules.maxOpenPositions() + " reached";
            return new RiskEvaluation(id, s.signalId(), s.symbol(), Decision.VETOED, reason, List.of(), dims, null,
                    s.entryPrice(), s.stopLoss(), s.takeProfit(), now);
        }
        double maxRisk = account.equityUsd() * rules.riskPerTradePct() / 100;
        double size = maxRisk / stopDistance;
        double room = account.equityUsd() * rules.grossExposureCapPct() / 100 - account.grossExposureUsd();
        List<String> modifications = new ArrayList<>();
        Decision decision = Decision.APPROVED;
        if (size * s.entryPrice() > room) {
            double capped = Math.max(0, room / s.entryPrice());
            if (capped <= 0) {
                return new RiskEvaluation(id, s.signalId(), s.symbol(), Decision.VETOED, "gross exposure cap reached",
                        List.of(), new RiskDimensions(trade, daily, drawdown, false), null, s.entryPrice(), s.stopLoss(),
                        s.takeProfit(), now);
            }
            modifications.add(String.format("size %.6f -> %.6f (gross exposure cap %.0f%%)", size, capped, rules.grossExposureCapPct()));
            size = capped;
            maxRisk = size * stopDistance;
            decision = Decision.MODIFIED;
        }
        return new RiskEvaluation(id, s.signalId(), s.symbol(), decision, null, modifications, dims,
                new PositionAllowed(s.symbol(), s.direction(), round6(size), round2(maxRisk)),
                s.entryPrice(), s.stopLoss(), s.takeProfit(), now);
    }

    static double round6(double v) {
        return Math.floor(v * 1e6) / 1e6;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
