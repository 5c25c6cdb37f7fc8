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
import io.quantumtrader.trader.risk.EntryAtFill;
import io.quantumtrader.trader.risk.RiskRules;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Paper venue: fills the symbol's pending orders placed on earlier ticks. An entry is judged again at its fill
 * ({@link EntryAtFill}: the entry halts of now, a kill switch tripped since its placement, the daily loss and drawdown
 * limits, a fill price at or beyond its stop or its target — each cancels it — then half size when the account entered
 * SOFT_DERISK since, a re-size when a gap took the loss at its stop past what the kernel approved, and a re-size down
 * when its notional at the fill price would take the gross exposure past the cap (review 2, 2026-12-06); found in review,
 * 2026-12-05 and 2026-12-06: an entry approved in NORMAL still filled after a loss elsewhere had moved the account to
 * HARD_DERISK; an entry approved before the kill switch tripped filled after the reset). A take profit whose limit is
 * not reached is cancelled too, and its position is open again ({@link PaperVenue#limitNotReached}). A cancellation is
 * an {@code OrderRejected} naming why; a halved or re-sized entry is counted ({@code qt.streams.node.records.counted},
 * reasons {@value #HALVED}, {@value #RESIZED}, {@value #CAPPED}).
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
        c.declareCounts(java.util.Set.of(HALVED, RESIZED, CAPPED));
    }

    /** The count's reason for an entry filled at half size: the account entered SOFT_DERISK after its approval. */
    static final String HALVED = "entry_halved_soft_derisk";
    /** The count's reason for an entry re-sized to its approved loss at the stop ({@link io.quantumtrader.trader.risk.RiskRules#entryGapTolerancePct()}). */
    static final String RESIZED = "entry_resized_gap";
    /**
     * The count's reason for an entry re-sized down at its fill so that its notional keeps the gross exposure within
     * {@link io.quantumtrader.trader.risk.RiskRules#grossExposureCapPct()} (the kernel capped it at the signal's price).
     */
    static final String CAPPED = "entry_resized_gross_cap";

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
            String limit = PaperVenue.limitNotReached(o, r.value());
            if (limit != null) {
                rejected.add(o.cancellation(limit, r.timestamp()));
                io.quantumtrader.trader.position.Position held = positions.get(o.symbol());
                if (held != null) {
                    positions.put(o.symbol(), held.exitCancelled());   // its exits are checked again from this tick on
                }
                continue;
            }
            OrderFilled fill = venue.fill(o, r.value());
            if (o.purpose() == OrderFilled.Purpose.ENTRY) {
                EntryAtFill.Verdict v = EntryAtFill.judge(o, fill.price(), account, positions.get(o.symbol()) != null,
                        rules, venue.slippageBps(), venue.feeBps());
                if (v.cancelled() != null) {
                    rejected.add(o.cancellation(v.cancelled(), r.timestamp()));
                    continue;
                }
                if (v.halved()) {
                    ctx.count(HALVED);
                }
                if (v.resized()) {
                    ctx.count(RESIZED);
                }
                if (v.capped()) {
                    ctx.count(CAPPED);
                }
                if (v.size() != o.size()) {
                    fill = venue.fill(o.withSize(v.size()), r.value());
                }
            }
            fills.add(fill);
        }
        ctx.forward(r.withValue(new VenueOutput(r.value(), fills, rejected)));
    }


}
