package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.RiskEvaluation;
import io.quantumtrader.trader.events.Signal;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskKernel;
import io.quantumtrader.trader.risk.RiskRules;

/**
 * Risk kernel over the account, the open positions and the pending entry orders; a NORMAL account is judged in
 * SOFT_DERISK once a volatility spike is known at the signal ({@link JudgedAccount}; the {@code regimes} store).
 */
final class RiskKernelProcessor implements Processor<String, Signal, String, RiskEvaluation> {
    private final RiskKernel kernel;
    private ProcessorContext<String, RiskEvaluation> ctx;
    private final JudgedAccount account;
    private KeyValueStore<String, Position> positions;
    private KeyValueStore<String, io.quantumtrader.trader.execution.PendingOrder> orders;

    /** With 1-minute candles (the topology's default). */
    RiskKernelProcessor(RiskRules rules, io.quantumtrader.trader.execution.PaperVenue venue) {
        this(rules, venue, QuantumTraderTopology.DEFAULT_CANDLE_SIZE);
    }

    /**
     * @param venue      the venue the approved orders go to: its fee and slippage count in each trade's risk
     * @param candleSize the topology's candle size (a CHAOTIC regime counts for {@link RiskRules#volatilitySpikeStaleCandles()} of them)
     */
    RiskKernelProcessor(RiskRules rules, io.quantumtrader.trader.execution.PaperVenue venue, java.time.Duration candleSize) {
        this.kernel = new RiskKernel(rules, venue.feeBps() + venue.slippageBps());
        this.account = new JudgedAccount(rules, candleSize);
    }

    @Override
    public void init(ProcessorContext<String, RiskEvaluation> c) {
        ctx = c;
        account.init(c);
        positions = c.getStateStore("positions");
        orders = c.getStateStore("orders");
    }

    @Override
    public void process(Record<String, Signal> r) {
        Account a = account.at(r.timestamp());
        io.quantumtrader.trader.risk.Exposure exposure = io.quantumtrader.trader.risk.Exposure.of(positions.get(r.key()),
                orders.all().values(), symbol -> positions.get(symbol) != null);
        ctx.forward(r.withValue(kernel.evaluate(r.value(), a, exposure, r.timestamp())));
    }
}
