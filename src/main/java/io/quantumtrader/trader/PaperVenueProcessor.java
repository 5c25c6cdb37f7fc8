package io.quantumtrader.trader;

import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.execution.PaperVenue;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.EntryHalts;
import io.quantumtrader.trader.risk.RiskRules;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Paper venue: fills the symbol's pending orders placed on earlier ticks; cancels the entries the account may no longer
 * make ({@link EntryHalts}, the rules the risk kernel applies to signals): every entry under the kill switch or in
 * HARD_DERISK, an add (an entry in a symbol with an open position) in SOFT_DERISK (DESIGN §7; found in review, 2026-12-05: an entry approved in NORMAL still filled after a loss elsewhere
 * had moved the account to HARD_DERISK), and an entry whose fill price would be at or beyond its own stop; a take
 * profit whose limit is not reached is cancelled too, and its position is open again ({@link PaperVenue#limitNotReached}).
 * A cancellation is an {@code OrderRejected} naming why.
 */
final class PaperVenueProcessor implements Processor<String, PriceTick, String, VenueOutput> {
    private final PaperVenue venue;
    private final RiskRules rules;
    private ProcessorContext<String, VenueOutput> ctx;
    private KeyValueStore<String, PendingOrder> orders;
    private KeyValueStore<String, Account> accounts;
    private KeyValueStore<String, io.quantumtrader.trader.position.Position> positions;

    PaperVenueProcessor(PaperVenue venue, RiskRules rules) {
        this.venue = venue;
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, VenueOutput> c) {
        ctx = c;
        orders = c.getStateStore("orders");
        accounts = c.getStateStore("account");
        positions = c.getStateStore("positions");
    }

    @Override
    public void process(Record<String, PriceTick> r) {
        String entry = InputEntry.of(r);
        Account account = AccountStore.today(accounts, rules, r.timestamp());
        List<OrderFilled> fills = new ArrayList<>();
        List<io.quantumtrader.trader.events.OrderRejected> rejected = new ArrayList<>();
        for (PendingOrder o : new TreeMap<>(orders.all()).values()) {
            if (!o.symbol().equals(r.key()) || o.placedBy().equals(entry)) {
                continue;
            }
            orders.delete(o.orderId());
            String cancelled = o.purpose() == OrderFilled.Purpose.ENTRY ? whyCancelled(account, o.symbol()) : null;
            if (cancelled != null) {
                rejected.add(rejection(o, cancelled, r.timestamp()));
                continue;
            }
            String limit = PaperVenue.limitNotReached(o, r.value());
            if (limit != null) {
                rejected.add(rejection(o, limit, r.timestamp()));
                io.quantumtrader.trader.position.Position held = positions.get(o.symbol());
                if (held != null) {
                    positions.put(o.symbol(), held.exitCancelled());   // its exits are checked again from this tick on
                }
                continue;
            }
            OrderFilled fill = venue.fill(o, r.value());
            String beyond = o.purpose() == OrderFilled.Purpose.ENTRY ? beyondStop(fill) : null;
            if (beyond != null) {
                rejected.add(rejection(o, beyond, r.timestamp()));
                continue;
            }
            fills.add(fill);
        }
        ctx.forward(r.withValue(new VenueOutput(r.value(), fills, rejected)));
    }

    /** @return the cancellation of {@code o} at {@code at} (epoch ms), naming why */
    private static io.quantumtrader.trader.events.OrderRejected rejection(PendingOrder o, String why, long at) {
        return new io.quantumtrader.trader.events.OrderRejected(o.orderId(), o.requestId(), o.symbol(), o.direction(),
                o.size(), why, at);
    }

    /**
     * @return why an entry may not fill at this price, or null when it may: at or beyond its own stop (a LONG's fill at
     *         or below its stop, a SHORT's at or above) it would be stopped out on the tick that opened it (found in
     *         review, 2026-12-05: an add approved at 809.69 filled at 802.80, below its stop of 803.28, on the tick
     *         that stopped the position out)
     */
    private static String beyondStop(OrderFilled fill) {
        boolean beyond = fill.direction() == io.quantumtrader.trader.events.Direction.LONG
                ? fill.price() <= fill.stopLoss() : fill.price() >= fill.stopLoss();
        return beyond ? String.format("cancelled: the fill price %.4f is at or beyond the order's stop %.4f",
                fill.price(), fill.stopLoss()) : null;
    }

    /** @return why a pending entry in {@code symbol} may no longer fill, or null when it may */
    private String whyCancelled(Account account, String symbol) {
        String halted = EntryHalts.noNewEntries(account);
        if (halted == null && positions.get(symbol) != null) {
            halted = EntryHalts.noAdds(account);
        }
        return halted == null ? null : "cancelled: " + halted;
    }
}
