package io.quantumtrader.trader;

import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;

/** Reads the paper account from the stages' shared {@code account} store. */
final class AccountStore {

    private AccountStore() {
    }

    /**
     * @param time event time of the record being processed, epoch ms
     * @return the stored account as of {@code time}'s UTC day (daily figures reset, and the kill switch too when the
     *         rules say so); every stage judges the account this way
     */
    static Account today(KeyValueStore<String, Account> store, RiskRules rules, long time) {
        return current(store, rules).onDay(time, rules.killSwitchResetsDaily());
    }

    /** @return the stored account, or a fresh one with the rules' starting equity */
    static Account current(KeyValueStore<String, Account> store, RiskRules rules) {
        Account a = store.get(Account.PAPER);
        return a == null ? Account.start(rules) : a;
    }
}
