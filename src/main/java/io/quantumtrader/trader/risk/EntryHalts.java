package io.quantumtrader.trader.risk;

/**
 * The account-wide rules that stop new exposure (DESIGN §7): no new entry under the kill switch or in HARD_DERISK, no
 * add to an open position in SOFT_DERISK. One statement of them for the two places that apply them: the risk kernel,
 * when it evaluates a signal ({@link RiskKernel}), and the paper venue, when an entry approved earlier is still pending
 * after the account's state changed (it cancels it). Plain Java.
 */
public final class EntryHalts {

    private EntryHalts() {
    }

    /** @return why the account may open no position now ({@code kill switch active}, hard de-risk), or null */
    public static String noNewEntries(Account account) {
        if (account.killSwitch()) {
            return "kill switch active";
        }
        if (account.deRisk() == DeRiskState.HARD_DERISK) {
            return "hard de-risk: no new entries";
        }
        return null;
    }

    /** @return why the account may add to no open position now (soft de-risk), or null; see also {@link #noNewEntries} */
    public static String noAdds(Account account) {
        return account.deRisk() == DeRiskState.SOFT_DERISK ? "soft de-risk: no adds" : null;
    }
}
