package io.quantumtrader.trader;

import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRisk;
import io.quantumtrader.trader.risk.RiskRules;

import java.time.Duration;

/**
 * The account as the risk kernel, order entry and the paper venue judge it, over the portfolio's {@code account} and
 * {@code regimes} stores: {@link AccountStore#today}'s account, in SOFT_DERISK when it is NORMAL and a volatility spike
 * is known at the record's time ({@link DeRisk#withSpikes}), so that a spike known before the next tick counts at once
 * (position state stores the de-risk state on ticks only: review 2026-12-07).
 */
final class JudgedAccount {
    private final RiskRules rules;
    /** How long a CHAOTIC regime counts as a volatility spike, ms ({@link RegimeStore#spikeWindowMs}). */
    private final long spikeWindowMs;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, RegimeUpdate> regimes;

    /** @param candleSize the topology's candle size (a CHAOTIC regime counts for {@link RiskRules#volatilitySpikeStaleCandles()} of them) */
    JudgedAccount(RiskRules rules, Duration candleSize) {
        this.rules = rules;
        this.spikeWindowMs = RegimeStore.spikeWindowMs(rules, candleSize);
    }

    /** Takes the {@code account} and {@code regimes} stores, which the processor must be connected to. */
    void init(ProcessorContext<?, ?> c) {
        accounts = c.getStateStore("account");
        regimes = c.getStateStore("regimes");
    }

    /** @param time event time of the record being judged, epoch ms */
    Account at(long time) {
        return DeRisk.withSpikes(rules, AccountStore.today(accounts, rules, time),
                RegimeStore.chaoticSymbols(regimes, time, spikeWindowMs));
    }
}
