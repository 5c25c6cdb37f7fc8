package io.quantumtrader.trader;

import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.RegimeUpdate;
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

    /**
     * @param time          event time of the record being judged, epoch ms
     * @param spikeWindowMs how long after the end of its candle a CHAOTIC regime counts as a volatility spike, ms
     *                      ({@link RegimeStore#spikeWindowMs})
     * @return {@link #today}'s account, in SOFT_DERISK when it is NORMAL and a volatility spike is known at {@code time}
     *         ({@link io.quantumtrader.trader.risk.DeRisk#withSpikes}): how the risk kernel, order entry and the paper
     *         venue judge it, so that a spike known before the next tick counts at once
     */
    static Account judged(KeyValueStore<String, Account> store, KeyValueStore<String, RegimeUpdate> regimes, RiskRules rules,
                          long time, long spikeWindowMs) {
        return io.quantumtrader.trader.risk.DeRisk.withSpikes(rules, today(store, rules, time),
                RegimeStore.chaoticSymbols(regimes, time, spikeWindowMs));
    }

    /** @return the stored account, or a fresh one with the rules' starting equity */
    static Account current(KeyValueStore<String, Account> store, RiskRules rules) {
        Account a = store.get(Account.PAPER);
        return a == null ? Account.start(rules) : a;
    }
}
