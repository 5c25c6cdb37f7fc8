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
import io.quantumtrader.trader.position.Booking;
import io.quantumtrader.trader.risk.PercentFigure;
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
 * when its notional at the fill price would take the gross exposure, with the entries its tick filled before it, past
 * the cap (review 2, 2026-12-06; the tick's entries since the same day); found in review,
 * 2026-12-05 and 2026-12-06: an entry approved in NORMAL still filled after a loss elsewhere had moved the account to
 * HARD_DERISK; an entry approved before the kill switch tripped filled after the reset). An entry is also cancelled on
 * the tick that trips the kill switch, or that its own fill would make trip ({@link #killSwitchTrips}; until 2026-12-06
 * it opened a position there, closed for the kill switch on the next tick). A take profit whose limit is
 * not reached is cancelled too, and its position is open again ({@link PaperVenue#limitNotReached}). A cancellation is
 * an {@code OrderRejected} naming why; a halved or re-sized entry is counted ({@code qt.streams.node.records.counted},
 * reasons {@value #HALVED}, {@value #RESIZED}, {@value #CAPPED}), and so is every cancellation: on the kill switch's tick
 * {@value #KILL_SWITCH_TICK}, on the tick that enters HARD_DERISK {@value #HARD_DERISK_TICK}, at the fill under the
 * rules of {@link EntryAtFill} its reason there ({@link EntryAtFill#CANCEL_REASONS}, {@code entry_cancelled_...}), a take
 * profit whose limit is not reached {@value #LIMIT_NOT_REACHED} (until 2026-12-06 those of {@link EntryAtFill} and
 * the take profits reached {@code trades.order.rejected} uncounted: found in review). A NORMAL account is judged in
 * SOFT_DERISK once a volatility spike is known at the tick ({@link JudgedAccount}, the {@code regimes} store). An entry
 * fills on no print stamped before the request that placed it, and expires unfilled
 * {@link RiskRules#pendingEntryExpiryCandles()} candles after that request, cancelled on the first tick of any symbol from
 * then on ({@value #EXPIRED}; found in review, 2026-12-07: an entry of a symbol that never printed again counted toward
 * the exposure and the open positions for ever).
 */
final class PaperVenueProcessor implements Processor<String, PriceTick, String, VenueOutput> {
    private final PaperVenue venue;
    private final RiskRules rules;
    private ProcessorContext<String, VenueOutput> ctx;
    private KeyValueStore<String, PendingOrder> orders;
    private final JudgedAccount judged;
    private KeyValueStore<String, io.quantumtrader.trader.position.Position> positions;
    /** {@link RiskRules#pendingEntryExpiryCandles()} in ms. */
    private final long entryExpiryMs;

    /** With 1-minute candles (the topology's default). */
    PaperVenueProcessor(PaperVenue venue, RiskRules rules) {
        this(venue, rules, QuantumTraderTopology.DEFAULT_CANDLE_SIZE);
    }

    /** @param candleSize the topology's candle size (a CHAOTIC regime counts for {@link RiskRules#volatilitySpikeStaleCandles()} of them) */
    PaperVenueProcessor(PaperVenue venue, RiskRules rules, java.time.Duration candleSize) {
        this.venue = venue;
        this.rules = rules;
        this.judged = new JudgedAccount(rules, candleSize);
        this.entryExpiryMs = Math.multiplyExact(rules.pendingEntryExpiryCandles(), candleSize.toMillis());
    }

    @Override
    public void init(ProcessorContext<String, VenueOutput> c) {
        ctx = c;
        orders = c.getStateStore("orders");
        judged.init(c);
        positions = c.getStateStore("positions");
        java.util.Set<String> reasons = new java.util.HashSet<>(EntryAtFill.CANCEL_REASONS);
        reasons.addAll(java.util.Set.of(HALVED, RESIZED, CAPPED, KILL_SWITCH_TICK, HARD_DERISK_TICK, LIMIT_NOT_REACHED,
                EXPIRED));
        c.declareCounts(reasons);
    }

    /**
     * The count's reason for a take profit cancelled because its tick did not reach its limit (an immediate-or-cancel
     * limit order at the target, {@link PaperVenue#limitNotReached}); the position's exits are checked again.
     */
    static final String LIMIT_NOT_REACHED = "take_profit_cancelled_limit_not_reached";

    /**
     * The count's reason for an entry cancelled because no print of its symbol filled it within
     * {@link RiskRules#pendingEntryExpiryCandles()} candles of its placement: cancelled on the first tick (any
     * symbol's) at or after that time.
     */
    static final String EXPIRED = "entry_cancelled_expired";

    /** The count's reason for an entry filled at half size: the account entered SOFT_DERISK after its approval. */
    static final String HALVED = "entry_halved_soft_derisk";
    /** The count's reason for an entry re-sized to its approved loss at the stop ({@link io.quantumtrader.trader.risk.RiskRules#entryGapTolerancePct()}). */
    static final String RESIZED = "entry_resized_gap";
    /**
     * The count's reason for an entry re-sized down at its fill so that its notional keeps the gross exposure within
     * {@link io.quantumtrader.trader.risk.RiskRules#grossExposureCapPct()} (the kernel capped it at the signal's price).
     */
    static final String CAPPED = "entry_resized_gross_cap";
    /**
     * The count's reason for an entry cancelled at its fill because the kill switch trips on that tick (or would trip
     * with the entry's own fill): an entry never opens a position on the tick that trips the kill switch
     * ({@link #killSwitchTrips}).
     */
    static final String KILL_SWITCH_TICK = "entry_cancelled_kill_switch_trip";
    /**
     * The count's reason for an entry cancelled at its fill because the account enters HARD_DERISK on that tick without
     * the tick's entries: HARD_DERISK allows no new entries, its first tick included.
     */
    static final String HARD_DERISK_TICK = "entry_cancelled_hard_derisk_entry";

    @Override
    public void process(Record<String, PriceTick> r) {
        String entry = InputEntry.of(r);
        // a NORMAL account in SOFT_DERISK once a spike is known: an entry approved in NORMAL fills at half size on the
        // first tick after a spike elsewhere, an add is cancelled (until 2026-12-07 the state stored at the tick
        // before: it filled whole, and the account entered SOFT_DERISK on that tick)
        Account account = judged.at(r.timestamp());
        List<OrderFilled> fills = new ArrayList<>();
        List<io.quantumtrader.trader.events.OrderRejected> rejected = new ArrayList<>();
        java.util.Map<OrderFilled, PendingOrder> entries = new java.util.LinkedHashMap<>();
        java.util.Map<OrderFilled, List<String>> counts = new java.util.HashMap<>();   // re-sizes, counted once filled
        // the entry notional this tick's entries kept so far will book (fill price x size): the next entry's room under
        // the gross exposure cap is what they leave (until 2026-12-06 each was judged against the gross before the tick,
        // and two entries that each fitted filled together past the cap: OneTickDifferentialTest)
        double tickEntryNotional = 0;
        for (PendingOrder o : new TreeMap<>(orders.all()).values()) {
            if (o.purpose() == OrderFilled.Purpose.ENTRY && o.placedAtMs() != null && !o.placedBy().equals(entry)
                    && r.timestamp() - o.placedAtMs() >= entryExpiryMs) {
                // any symbol's tick: an entry of a symbol that never prints again (halted, delisted) counted toward the
                // exposure and the open positions for ever (found in review, 2026-12-07)
                orders.delete(o.orderId());
                rejected.add(o.cancellation("cancelled: expired, no print of " + o.symbol() + " filled it within "
                        + rules.pendingEntryExpiryCandles() + " candles (" + entryExpiryMs / 1000 + " s) of its placement",
                        r.timestamp()));
                ctx.count(EXPIRED);
                continue;
            }
            if (!o.symbol().equals(r.key()) || o.placedBy().equals(entry)) {
                continue;
            }
            io.quantumtrader.trader.position.Position exiting = o.purpose() == OrderFilled.Purpose.EXIT ? positions.get(o.symbol()) : null;
            if (exiting != null && r.value().timestamp() < exiting.openedAt()) {
                // a print from before its position opened (a feed's late print): the exit fills on the next one, not
                // at a price of a market the position was not in, booked before its open (found in review, 2026-12-07)
                continue;
            }
            if (o.placedAtMs() != null && r.timestamp() < o.placedAtMs()) {
                // an entry on a late print stamped before the request that placed it: a price from before its signal
                // (found in review, 2026-12-07); it fills on the next print
                continue;
            }
            orders.delete(o.orderId());
            String limit = PaperVenue.limitNotReached(o, r.value());
            if (limit != null) {
                rejected.add(o.cancellation(limit, r.timestamp()));
                ctx.count(LIMIT_NOT_REACHED);
                io.quantumtrader.trader.position.Position held = positions.get(o.symbol());
                if (held != null) {
                    positions.put(o.symbol(), held.exitCancelled());   // its exits are checked again from this tick on
                }
                continue;
            }
            OrderFilled fill = venue.fill(o, r.value());
            if (o.purpose() == OrderFilled.Purpose.ENTRY) {
                EntryAtFill.Verdict v = EntryAtFill.judge(o, fill.price(), r.value().price(), tickEntryNotional > 0 ? account.added(tickEntryNotional)
                        : account, positions.get(o.symbol()) != null, rules, venue.slippageBps(), venue.feeBps());
                if (v.cancelled() != null) {
                    rejected.add(o.cancellation(v.cancelled(), r.timestamp()));
                    ctx.count(v.countReason());
                    continue;
                }
                List<String> resizes = new ArrayList<>();
                if (v.halved()) {
                    resizes.add(HALVED);
                }
                if (v.resized()) {
                    resizes.add(RESIZED);
                }
                if (v.capped()) {
                    resizes.add(CAPPED);
                }
                if (v.size() != o.size()) {
                    fill = venue.fill(o.withSize(v.size()), r.value());
                }
                entries.put(fill, o);
                counts.put(fill, resizes);
                tickEntryNotional += fill.price() * fill.size();
            }
            fills.add(fill);
        }
        java.util.Map<OrderFilled, TickCancellation> trips = java.util.Map.of();
        if (!entries.isEmpty() && !account.killSwitch()) {   // with the switch on EntryAtFill cancelled the entries
            java.util.Map<String, io.quantumtrader.trader.position.Position> book = positions.all();   // read once
            // the tick booked on a copy with its other fills, without its entries: its own trip, HARD_DERISK or
            // SOFT_DERISK, for both checks below
            Account without = Booking.book(account, Booking.copyOf(book),
                    fills.stream().filter(f -> f.purpose() != OrderFilled.Purpose.ENTRY).toList(), r.value()).account();
            softDeriskOnTick(account, without, book, fills, entries, counts, rejected, r.value());
            if (!entries.isEmpty()) {
                trips = killSwitchTrips(account, without, book, fills, r.value());
            }
        }
        List<io.quantumtrader.trader.execution.EntryResize> resized = new ArrayList<>();
        for (var e : entries.entrySet()) {
            TickCancellation c = trips.get(e.getKey());
            if (c != null) {
                fills.remove(e.getKey());
                rejected.add(e.getValue().cancellation("cancelled: " + c.why(), r.timestamp()));
                ctx.count(c.countReason());
            } else {
                List<String> reasons = counts.get(e.getKey());
                reasons.forEach(ctx::count);
                if (!reasons.isEmpty()) {   // audited: the audit log kept the approved size only (review 2026-12-07)
                    PendingOrder o = e.getValue();
                    resized.add(new io.quantumtrader.trader.execution.EntryResize(o.orderId(), o.requestId(), o.symbol(),
                            o.direction(), o.size(), e.getKey().size(), reasons, e.getKey().filledAt()));
                }
            }
        }
        ctx.forward(r.withValue(new VenueOutput(r.value(), fills, rejected, resized)));
    }

    /**
     * The tick on its own (booked on a copy with its other fills, without its entries) moves the account from NORMAL
     * into SOFT_DERISK by its drawdown ({@link io.quantumtrader.trader.risk.DeRisk}): its adds are cancelled
     * ({@value EntryAtFill#SOFT_DERISK_ADD}), as {@link EntryAtFill} cancels them in a SOFT_DERISK known before the tick
     * (DESIGN §7: no adds). Before (review 2026-12-07) they filled on that tick, as HARD_DERISK's entries did until
     * 2026-12-06. Only adds: a tick moves the drawdown by marking (or exiting) its symbol's position, so an entry of a
     * symbol with no position cannot be on a tick that enters SOFT_DERISK by drawdown. Not when the tick trips the kill
     * switch or enters HARD_DERISK: {@link #killSwitchTrips} cancels every entry then. A volatility spike's
     * SOFT_DERISK known at the tick is in {@code account} already ({@link JudgedAccount}): {@link EntryAtFill}
     * halves and cancels for it.
     *
     * @param without the account after the tick booked on a copy of {@code book} with its other fills, not its entries
     * @param book    the positions before the tick
     */
    private void softDeriskOnTick(Account account, Account without,
                                  java.util.Map<String, io.quantumtrader.trader.position.Position> book, List<OrderFilled> fills,
                                  java.util.Map<OrderFilled, PendingOrder> entries, java.util.Map<OrderFilled, List<String>> counts,
                                  List<io.quantumtrader.trader.events.OrderRejected> rejected, PriceTick tick) {
        if (account.deRisk() != io.quantumtrader.trader.risk.DeRiskState.NORMAL || rules.softDeriskDrawdownPct() <= 0
                || book.get(tick.symbol()) == null) {
            return;
        }
        if (without.dailyLossPct() >= rules.dailyLossLimitPct() || entersHardDerisk(account, without)
                || io.quantumtrader.trader.risk.DeRisk.of(rules, account.deRisk(), without.drawdownPct(), 0)
                != io.quantumtrader.trader.risk.DeRiskState.SOFT_DERISK) {
            return;
        }
        String why = "cancelled: the account enters SOFT_DERISK on the fill's tick (drawdown "
                + PercentFigure.of(without.drawdownPct()) + "% >= " + PercentFigure.of(rules.softDeriskDrawdownPct()) + "%): no adds";
        for (var e : new ArrayList<>(entries.entrySet())) {
            fills.remove(e.getKey());
            entries.remove(e.getKey());
            counts.remove(e.getKey());
            rejected.add(e.getValue().cancellation(why, tick.timestamp()));
            ctx.count(EntryAtFill.SOFT_DERISK_ADD);
        }
    }

    /**
     * An entry fill cancelled on its tick ({@link #killSwitchTrips}).
     *
     * @param why         the cancellation's reason, after "cancelled: "
     * @param countReason its count ({@value #KILL_SWITCH_TICK} or {@value #HARD_DERISK_TICK})
     */
    private record TickCancellation(String why, String countReason) {
    }

    /**
     * Whether the kill switch trips on this tick, so that its entry fills must not open or add to a position: position
     * state books the tick's fills, marks the account and trips the kill switch when the day's loss of marked equity
     * reached the limit; a position opened on that tick was closed for the kill switch on the next (found in review,
     * 2026-12-06). Booked here on a copy ({@link Booking}), first without the entries: the trip is the tick's own (its
     * price, its exits); then with them: the entries' own costs (fee, slippage) would take the day's loss to the limit.
     * In the first case every entry is cancelled, and the kill switch trips; in the second only the entries that would
     * trip it are: the tick's entries (of its one symbol) are taken in the venue's order (by order id), each kept when
     * the book with it and the entries kept before it stays below the limit, else cancelled; position state books the
     * rest, and the kill switch does not trip. An entry that fits the limit fills as on any other tick (until
     * 2026-12-06 one entry that would trip the limit cancelled every entry of the tick:
     * {@code KillSwitchTripTickEntryTest.onlyTheEntryThatWouldTripTheKillSwitchIsCancelledNotTheOneBeforeIt}).
     *
     * @param without the account after the tick booked on a copy of {@code book} with its other fills, not its entries
     * @param book    the positions before the tick (read once)
     * @return why each cancelled entry fill is cancelled (the others are not in it): empty when they all fill
     */
    private java.util.Map<OrderFilled, TickCancellation> killSwitchTrips(Account account, Account without,
                                                                         java.util.Map<String, io.quantumtrader.trader.position.Position> book,
                                                                         List<OrderFilled> fills, PriceTick tick) {
        java.util.Map<OrderFilled, TickCancellation> cancelled = new java.util.HashMap<>();
        TickCancellation halt = without.dailyLossPct() >= rules.dailyLossLimitPct()
                ? new TickCancellation("the kill switch trips on the fill's tick (daily loss " + PercentFigure.of(without.dailyLossPct())
                        + "% of marked equity >= " + PercentFigure.of(rules.dailyLossLimitPct()) + "% limit)", KILL_SWITCH_TICK)
                : entersHardDerisk(account, without)
                ? new TickCancellation("the account enters HARD_DERISK on the fill's tick (drawdown " + PercentFigure.of(without.drawdownPct())
                        + "% >= " + PercentFigure.of(rules.hardDeriskDrawdownPct()) + "%)", HARD_DERISK_TICK)
                : null;
        if (halt != null) {
            fills.stream().filter(f -> f.purpose() == OrderFilled.Purpose.ENTRY).forEach(f -> cancelled.put(f, halt));
            return cancelled;
        }
        for (OrderFilled candidate : fills) {
            if (candidate.purpose() != OrderFilled.Purpose.ENTRY) {
                continue;
            }
            List<OrderFilled> trial = fills.stream().filter(f -> !cancelled.containsKey(f)).toList();
            // the fills kept so far and this entry, in the venue's order; the entries after it not yet
            int at = trial.indexOf(candidate);
            List<OrderFilled> upTo = new ArrayList<>(trial.subList(0, at + 1));
            trial.subList(at + 1, trial.size()).stream().filter(f -> f.purpose() != OrderFilled.Purpose.ENTRY).forEach(upTo::add);
            Account with = Booking.book(account, Booking.copyOf(book), upTo, tick).account();
            if (with.dailyLossPct() >= rules.dailyLossLimitPct()) {
                cancelled.put(candidate, new TickCancellation("the fill would trip the kill switch (daily loss "
                        + PercentFigure.of(with.dailyLossPct()) + "% of marked equity >= "
                        + PercentFigure.of(rules.dailyLossLimitPct()) + "% limit with it)", KILL_SWITCH_TICK));
            }
            // an entry whose own costs alone would move the account into HARD_DERISK still fills (not decided: cancelling
            // it kept DrawdownResetTest's account, at a 1 % threshold, out of HARD_DERISK for good; see the docs)
        }
        return cancelled;
    }

    /**
     * @return whether {@code booked} (the account after the tick, on a copy) is one position state moves from {@code
     *         before}'s state into HARD_DERISK on this tick: no entry fills on that tick either, as on the kill switch's
     *         (until 2026-12-06 an entry filling on the tick that entered HARD_DERISK opened a position there, although
     *         HARD_DERISK allows no new entries: {@code
     *         KillSwitchTripTickEntryTest.anEntryFillingOnTheTickThatEntersHardDeriskIsCancelled})
     */
    private boolean entersHardDerisk(Account before, Account booked) {
        return before.deRisk() != io.quantumtrader.trader.risk.DeRiskState.HARD_DERISK
                && io.quantumtrader.trader.risk.DeRisk.of(rules, before.deRisk(), booked.drawdownPct(), 0)
                == io.quantumtrader.trader.risk.DeRiskState.HARD_DERISK;
    }


}
