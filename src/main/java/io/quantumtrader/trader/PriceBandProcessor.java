package io.quantumtrader.trader;

import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RefusedTick;
import io.quantumtrader.trader.market.PriceBand;

/**
 * The price band on the tick path ({@link PriceBand}), keyed by symbol: its state (reference price, held prints) is
 * the {@code price-band} store of the market-data task that owns the symbol's partition. Forwards one
 * {@link Verdict} per print decided: accepted prints (a held one released by its confirmation keeps its own trade time
 * as the record's timestamp, before the confirming print) and refused ones (timestamped by the print that decided).
 */
final class PriceBandProcessor implements Processor<String, PriceTick, String, PriceBandProcessor.Verdict> {

    /**
     * One print's verdict: exactly one of the two is set.
     *
     * @param accepted a print every stage sees
     * @param refused  a print no stage sees, with its reason ({@code market.tick.refused})
     */
    record Verdict(PriceTick accepted, RefusedTick refused) {
    }

    private final PriceBand band;
    private ProcessorContext<String, Verdict> ctx;
    private KeyValueStore<String, PriceBand.State> states;

    PriceBandProcessor(PriceBand band) {
        this.band = band;
    }

    @Override
    public void init(ProcessorContext<String, Verdict> c) {
        ctx = c;
        states = c.getStateStore("price-band");
    }

    @Override
    public void process(Record<String, PriceTick> r) {
        if (!band.enabled()) {
            ctx.forward(r.withValue(new Verdict(r.value(), null)));
            return;
        }
        PriceBand.Step step = band.apply(states.get(r.key()), r.value());
        states.put(r.key(), step.state());
        for (RefusedTick refused : step.refused()) {
            ctx.forward(r.withValue(new Verdict(null, refused)));
        }
        for (PriceTick t : step.accepted()) {
            ctx.forward(t == r.value() ? r.withValue(new Verdict(t, null))
                    : r.withValue(new Verdict(t, null)).withTimestamp(t.timestamp()));
        }
    }
}
