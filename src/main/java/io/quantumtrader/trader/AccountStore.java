package io.quantumtrader.trader;

import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;

/** Reads the paper account from the stages' shared {@code account} store. */
final class AccountStore {

    private AccountStore() {
    }

    /** @return the stored account, or a fresh one with the rules' starting equity */
    static Account current(KeyValueStore<String, Account> store, RiskRules rules) {
        Account a = store.get(Account.PAPER);
        return a == null ? Account.start(rules) : a;
    }
}
