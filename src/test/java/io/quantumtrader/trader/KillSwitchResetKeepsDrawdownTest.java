package io.quantumtrader.trader;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRisk;
import io.quantumtrader.trader.risk.Exposure;
import io.quantumtrader.trader.risk.RiskKernel;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain kill-switch reset clears the kill switch alone: the drawdown limits keep binding across days. Production rules
 * (kill-switch-resets-daily false): every day that trips the kill switch needs a human reset; found in review of the
 * first version of the drawdown re-base (2026-12-05), which applied with every reset, so three 5 % days ended 14 %
 * below the peak with the account in NORMAL and approving. Re-basing is {@code kill-switch-reset --rebase-drawdown}
 * ({@link DrawdownResetTest}). The gate runs for real (KillSwitchGateProcessor in the test driver), the rest is
 * Account, DeRisk and RiskKernel as position state and the risk kernel call them.
 */
class KillSwitchResetKeepsDrawdownTest {

    static final RiskRules RULES = RiskRules.defaults();   // kill switch 5 %/day, max drawdown 10 %, hard de-risk 8 %
    static final long DAY = 86_400_000L;
    static final long T0 = 1_700_000_000_000L / DAY * DAY;

    /** The gate on the account store, as the portfolio runs it: a signal arrives with the table's reset entry. */
    static Account gate(Account stored, long resetAt, long signalAt) {
        TopologyBuilder b = new TopologyBuilder("gate");
        b.addStateStore(StoreSpec.keyValueStore("account", Account.class));
        b.addStateStore(StoreSpec.keyValueStore("kill-switch-resets", KillSwitch.class));
        b.addStateStore(StoreSpec.keyValueStore("regimes", io.quantumtrader.trader.events.RegimeUpdate.class));
        b.stream("in", KillSwitchGateProcessor.Input.class)
                .process(() -> new KillSwitchGateProcessor(RULES), Named.as("kill-switch-gate"), "account", "kill-switch-resets", "regimes")
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, stored);
            Signal s = signal(1000, 980);
            driver.createInputStream("in").pipeInput("BTC-USD", new KillSwitchGateProcessor.Input(s,
                    new KillSwitch("paper", false, "morning reset after yesterday's daily loss", 0, resetAt)), signalAt);
            return driver.<String, Account>getKeyValueStore("account").get(Account.PAPER);
        }
    }

    static Signal signal(double entry, double stop) {
        return new Signal("sig-1", "BTC-USD", 60_000, Direction.LONG, 80, entry, stop, entry + 3 * (entry - stop), "test", "m", "NONE",
                io.quantumtrader.trader.events.Regime.TRENDING);
    }

    @Test
    void dailyKillSwitchResetsKeepTheMaximumDrawdown() {
        Account a = Account.start(RULES).onDay(T0, false);
        for (int day = 0; day < 3; day++) {
            long now = T0 + day * DAY;
            a = a.onDay(now, false).opened(50_000);
            double loss = -a.dayStartEquityUsd() * 0.05;   // a day that trips the kill switch (5 %)
            a = a.closed(50_000, loss).killed();
            a = a.withDeRisk(DeRisk.of(RULES, a.deRisk(), a.drawdownPct(), 0));   // position state, after the fill
            a = gate(a, now + DAY / 2, now + DAY / 2 + 1);   // the operator resets the kill switch (kill-switch-reset)
            a = a.withDeRisk(DeRisk.of(RULES, a.deRisk(), a.drawdownPct(), 0));   // next tick
        }
        double lostFromStart = (RULES.startingEquityUsd() - a.equityUsd()) / RULES.startingEquityUsd() * 100;
        Account next = a.onDay(T0 + 3 * DAY, false);
        RiskEvaluation e = new RiskKernel(RULES, 15).evaluate(signal(1000, 980), next, Exposure.none(), T0 + 3 * DAY);
        assertThat(lostFromStart).isGreaterThan(RULES.maxDrawdownPct());
        assertThat(e.decision()).as("14.3 %% below the peak, past max-drawdown-pct 10 %%, after resets meant for the kill switch")
                .isEqualTo(RiskEvaluation.Decision.VETOED);
    }
}
