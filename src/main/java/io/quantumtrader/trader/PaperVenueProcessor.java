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
import io.quantumtrader.trader.risk.RiskRules;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Paper venue: fills the symbol's pending orders placed on earlier ticks; cancels entries under the kill switch. */
final class PaperVenueProcessor implements Processor<String, PriceTick, String, VenueOutput> {
    private final PaperVenue venue;
    private final RiskRules rules;
    private ProcessorContext<String, VenueOutput> ctx;
    private KeyValueStore<String, PendingOrder> orders;
    private KeyValueStore<String, Account> accounts;

    PaperVenueProcessor(PaperVenue venue, RiskRules rules) {
        this.venue = venue;
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, VenueOutput> c) {
        ctx = c;
        orders = c.getStateStore("orders");
        accounts = c.getStateStore("account");
    }

    @Override
    public void process(Record<String, PriceTick> r) {
        String entry = r.origin() == null ? "" : r.origin().entryId();
        boolean kill = AccountStore.today(accounts, rules, r.timestamp()).killSwitch();
        List<OrderFilled> fills = new ArrayList<>();
        List<io.quantumtrader.trader.events.OrderRejected> rejected = new ArrayList<>();
        for (PendingOrder o : new TreeMap<>(orders.all()).values()) {
            if (!o.symbol().equals(r.key()) || o.placedBy().equals(entry)) {
                continue;
            }
            orders.delete(o.orderId());
            if (kill && o.purpose() == OrderFilled.Purpose.ENTRY) {
                rejected.add(new io.quantumtrader.trader.events.OrderRejected(o.orderId(), o.requestId(), o.symbol(),
                        o.direction(), o.size(), "cancelled: kill switch active", r.timestamp()));
                continue;
            }
            fills.add(venue.fill(o, r.value()));
        }
        ctx.forward(r.withValue(new VenueOutput(r.value(), fills, rejected)));
    }
}
