package io.quantumtrader.trader.market;

import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RefusedTick;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The price band: the trading system's filter of erroneous ("fat-finger") prints, as venues bust "clearly erroneous"
 * trades. Plain trading logic over one symbol's state ({@link State}); the topology keeps that state per symbol in
 * the {@code price-band} store, before every consumer of ticks ({@code QuantumTraderTopology}).
 *
 * <p>The rule, per symbol:
 * <ul>
 *   <li>the first print is accepted and becomes the <em>reference</em>;</li>
 *   <li>a print within the band of the reference is accepted and becomes the reference (unless it traded before the
 *       reference, a late print: accepted, and the state stays as it was: the reference is the latest accepted print in
 *       trade time, a held print stays held, a level refused unconfirmed is kept);</li>
 *   <li>a print outside it is <em>held</em> as suspect, seen by no stage yet;</li>
 *   <li>while a print is held, the next print decides: within the band of the reference (the market stayed where it
 *       was), the held print is <b>refused</b> and this one accepted; outside it but within the band of the held print
 *       (the market moved: a genuine gap), it confirms the held print — after {@link #confirmations} such prints the
 *       held prints are accepted, in their order, and the last becomes the reference; outside both, the held prints are
 *       refused and this one is held in turn (a new suspect level).</li>
 *   <li>a confirmation must come at a later trade time than the first held print and than the confirmation before
 *       it: a print at the held level in the same instant (the same millisecond) as the one before is held with it
 *       but confirms nothing. One erroneous order that trades against several resting orders prints several trades
 *       in one instant, at the same wrong level; they are one event, and without this rule two of them confirmed each
 *       other (found in review, 2026-12-06).</li>
 * </ul>
 * A print within the band of both levels counts as the old level's: the filter errs on keeping the known price.
 *
 * <p>A held print waits at most {@link #holdMs} of trade time: when no print of the symbol decides it by then (its
 * first held print's trade time + {@code holdMs}), it is <b>refused unconfirmed</b> (reason
 * {@value #REASON_UNCONFIRMED}, {@code refusedAt} = that deadline), whatever decides it: the symbol's next print, later
 * than the deadline ({@link #apply}, which then compares that print with the reference alone), or the stream time of
 * the symbol's partition passing the deadline ({@link #expire}, the topology's punctuation). Without it a symbol's
 * last print, if suspect, stayed held for ever and the desk never learned of it.
 *
 * <p>The band is {@link #pct} percent of price, in log terms so that it is symmetric ({@code 10 %}: from
 * {@code ref / 1.1} to {@code ref × 1.1}; a print at 10 USD instead of 1,000 is as far down as 100,000 is up), for a
 * print within a minute of the reference; for a print later than that it widens with the square root of the minutes
 * since the reference print, as a random walk's moves do (an hour: ×7.7), up to {@link #maxWidening} times (by default
 * 16, reached after 256 minutes; at 10 %: from {@code ref / 4.6} to {@code ref × 4.6}). Without the widening, bars a month
 * apart (monthly closes) would be refused for every real move of 10 % in a month; without its ceiling the band was
 * effectively off after a quiet period (found in review, 2026-12-06: after a weekend's 65.5 hours a print 394× the
 * reference was accepted at once, ×10<sup>8</sup> for monthly bars), exactly when erroneous opening prints happen.
 *
 * <p>What it costs: a held print reaches the stages with the next print (a genuine gap is seen one print later); a
 * genuine gap whose next print comes later than {@code holdMs} is refused unconfirmed, and the band remembers the
 * level refused ({@link State#unconfirmed}) with the prints refused unconfirmed since within its band, each later than
 * the one before ({@link State#agreeing}: its confirmations so far); a print outside the reference's band that agrees
 * with the level the same way and makes {@link #confirmations} of them is accepted as the new level (with 1, the
 * default, the first such print; with N the N-th: on prints further apart than the hold N − 1 more prints are refused
 * unconfirmed first). Without that, once the ceiling ({@link #maxWidening}) stopped the band's widening, a symbol
 * whose prints come more than {@code holdMs} apart (daily or monthly bars, a thin market, a halt reopening far away)
 * refused every print after a move beyond the ceiling, for good, and its positions kept a stale mark (found in review
 * of the ceiling, 2026-12-06; with more than one confirmation until 2026-12-06). A held print that disagrees with the
 * level starts a new level when it is refused unconfirmed, its count from 0.
 *
 * @param pct           the band, percent (&gt; 0), for a print within a minute of the reference; 0: off (every print
 *                      accepted, no state kept)
 * @param confirmations prints within the band of a held print, outside the reference's, each at a later trade time
 *                      than it and than the one before, that accept it (&ge; 1)
 * @param holdMs        how long a held print waits for the prints that decide it, ms of trade time (&gt; 0)
 * @param maxWidening   the most the band widens with the time since the reference print, times {@code pct} in log
 *                      terms (&ge; 1: 1 = no widening; default {@link #DEFAULT_MAX_WIDENING}, from the risk rules'
 *                      {@code price-band-max-widening})
 */
public record PriceBand(double pct, int confirmations, long holdMs, double maxWidening) {

    /** The reason of a refusal by the next print ({@link RefusedTick#reason()}). */
    public static final String REASON = "price_band";
    /** The reason of a refusal because no print decided the held print within {@link #holdMs}. */
    public static final String REASON_UNCONFIRMED = "price_band_unconfirmed";
    /**
     * The reason of a refusal because the symbol already holds {@link #MAX_HELD} prints: the print would be held too,
     * and is refused at once (refused at its own trade time).
     */
    public static final String REASON_OVERFLOW = "price_band_overflow";
    /** Every reason a print is refused for, for meters registered before the first refusal. */
    public static final java.util.Set<String> REASONS = java.util.Set.of(REASON, REASON_UNCONFIRMED, REASON_OVERFLOW);
    /**
     * The most prints one symbol holds at once: the suspect print and the prints at its level that do not confirm it
     * yet (those of its own instant, one erroneous order's fills). A print that would be held beyond it is refused
     * ({@value #REASON_OVERFLOW}); one that completes the confirmations is not, nor one of a later instant than the
     * last confirmation, which is one more of them (so at most {@code MAX_HELD + confirmations - 1} are held). Without it a feed repeating one wrong
     * print in one instant grew the symbol's stored state without bound, one store write of all of it per print
     * (found in review, 2026-12-06). A real order's fills in one instant are far fewer.
     */
    public static final int MAX_HELD = 1_000;
    /**
     * The default {@link #holdMs}: 5 minutes, ms. Longer than all but 3 of the 99,999 gaps between the 100,000 real
     * Bitstamp prints (2013-11-25 to 12-02: median 1 s, 99th percentile 53 s, 99.99th 173 s, longest 21 min), so a
     * genuine gap is decided by its next print and not by the timeout.
     */
    public static final long DEFAULT_HOLD_MS = 300_000;
    /** The band is {@link #pct} for a print at most this long after the reference print, ms. */
    public static final long BASE_INTERVAL_MS = 60_000;
    /**
     * The default {@link #maxWidening} (the rule {@code price-band-max-widening}, optional): the most the band widens
     * with the time since the reference print, 16 times {@link #pct} in log terms, reached 16² = 256 minutes after it. At the default 10 %: a print up to 4.6× (or 1/4.6 of) the reference is accepted at
     * once after any quiet period (a weekend, a halt, a month between bars); 10× and 100× are held. The largest real
     * move between two monthly closes of vega-datasets' stocks (2000–2010), AAPL 30.47 → 12.88 in September 2000
     * (−58 %), needs 9.0 times; the Bitstamp trades' longest pause, 21 minutes, widens the band 4.6 times. A genuine
     * move beyond it is held and confirmed by the next print, one print later; when that print comes after the hold,
     * the held print is refused unconfirmed and the next one, within its band, confirms it as the new level (with
     * {@link #confirmations} 1; with N, the N-th such print, each refused unconfirmed before).
     */
    public static final double DEFAULT_MAX_WIDENING = 16;

    public PriceBand {
        if (!(pct >= 0) || Double.isInfinite(pct)) {
            throw new IllegalArgumentException("price band must be 0 (off) or a positive percent, was " + pct);
        }
        if (confirmations < 1) {
            throw new IllegalArgumentException("price band confirmations must be at least 1, was " + confirmations);
        }
        if (holdMs <= 0) {
            throw new IllegalArgumentException("price band hold must be a positive time, was " + holdMs + " ms");
        }
        if (!(maxWidening >= 1) || Double.isInfinite(maxWidening)) {
            throw new IllegalArgumentException("price band max widening must be a finite factor >= 1, was " + maxWidening);
        }
    }

    /** @return the band of {@code pct} percent, {@code confirmations}, the hold {@code holdMs} and the default widening ceiling */
    public PriceBand(double pct, int confirmations, long holdMs) {
        this(pct, confirmations, holdMs, DEFAULT_MAX_WIDENING);
    }

    /** @return the band of {@code pct} percent, {@code confirmations}, and the default hold ({@link #DEFAULT_HOLD_MS}) */
    public PriceBand(double pct, int confirmations) {
        this(pct, confirmations, DEFAULT_HOLD_MS);
    }

    /** @return no band: every print accepted */
    public static PriceBand off() {
        return new PriceBand(0, 1);
    }

    /** @return whether the band filters anything */
    public boolean enabled() {
        return pct > 0;
    }

    /**
     * One symbol's band state.
     *
     * @param reference   the last accepted price
     * @param referenceAt its trade time, epoch ms
     * @param held        the suspect prints held, in order (empty: none)
     * @param unconfirmed the first print of the last level refused unconfirmed since the reference, or null: later
     *                    prints within its band confirm the move ({@link #decide}); null in a state stored before
     *                    2026-12-06
     * @param agreeing    the prints refused unconfirmed since {@code unconfirmed}, within its band, each at a later
     *                    trade time than the one before (and than {@code unconfirmed}): the level's confirmations so far
     *                    (fewer than {@link #confirmations}); empty when none or when {@code unconfirmed} is null
     *                    (absent, so empty, in a state stored before 2026-12-06)
     */
    public record State(double reference, long referenceAt, List<PriceTick> held, PriceTick unconfirmed,
                        List<PriceTick> agreeing) {
        public State {
            held = List.copyOf(held);
            agreeing = agreeing == null ? List.of() : List.copyOf(agreeing);
        }

        /** A state with no level refused unconfirmed. */
        public State(double reference, long referenceAt, List<PriceTick> held) {
            this(reference, referenceAt, held, null, List.of());
        }

        /** @return this state holding {@code held} instead, the level refused unconfirmed kept */
        State holding(List<PriceTick> prints) {
            return new State(reference, referenceAt, prints, unconfirmed, agreeing);
        }
    }

    /**
     * What one print did.
     *
     * @param state    the symbol's state after it ({@code null} when the band is off)
     * @param accepted the prints the stages see now, in trade order: this one, or held ones with their confirmation,
     *                 or none (this one is held)
     * @param refused  the held prints refused now
     */
    public record Step(State state, List<PriceTick> accepted, List<RefusedTick> refused) {
    }

    /**
     * @param ms how long after the reference print a print came, ms
     * @return the band for it, as the largest {@code |ln(price / reference)|} accepted: {@code ln(1 + pct / 100)} times
     *         the square root of the minutes since the reference, at least 1 and at most {@link #maxWidening}
     */
    public double logBand(long ms) {
        // ln of the ratio 1 + pct/100 as a double, the bound's own rounding: ln1p(0.1) is 5 ulps below ln(1.1), and a
        // print exactly at ref x 1.1 (or ref / 1.1) was outside the band (found in review, 2026-12-06)
        double base = Math.log(1 + pct / 100);
        return ms <= BASE_INTERVAL_MS ? base : base * Math.min(maxWidening, Math.sqrt((double) ms / BASE_INTERVAL_MS));
    }

    /**
     * @return whether {@code tick} is within the band of {@code price}, traded at {@code at}: the larger of the two
     *         price ratios (each rounded once, so a print at exactly {@code price × 1.1} or {@code price / 1.1} is at the
     *         10 % edge, and within) against {@link #logBand}, in log terms
     */
    public boolean within(double price, long at, PriceTick tick) {
        return Math.log(Math.max(tick.price() / price, price / tick.price())) <= logBand(tick.timestamp() - at);
    }

    /**
     * @param state the symbol's state before {@code tick} ({@code null}: no print accepted yet)
     * @param tick  the symbol's next print
     * @return what it does
     */
    public Step apply(State state, PriceTick tick) {
        if (!enabled()) {
            return new Step(null, List.of(tick), List.of());
        }
        if (state == null) {
            return accept(null, tick, List.of(tick), List.of());
        }
        Step expired = expire(state, tick.timestamp());
        if (expired.refused().isEmpty()) {
            return decide(state, tick);
        }
        Step next = decide(expired.state(), tick);
        List<RefusedTick> refused = new ArrayList<>(expired.refused());
        refused.addAll(next.refused());
        return new Step(next.state(), next.accepted(), refused);
    }

    /**
     * Refuses the held prints whose wait is over: when {@code nowMs} is past the first held print's trade time +
     * {@link #holdMs}, every held print is refused ({@value #REASON_UNCONFIRMED}, refused at that deadline).
     *
     * @param state the symbol's state ({@code null}: none)
     * @param nowMs the time reached, epoch ms: a later print's trade time, or the partition's stream time
     * @return the state with no print held and the refusals, or {@code state} and none when nothing is due
     */
    public Step expire(State state, long nowMs) {
        if (state == null || state.held().isEmpty() || nowMs <= deadline(state)) {
            return new Step(state, List.of(), List.of());
        }
        long deadline = deadline(state);
        return new Step(afterRefusedUnconfirmed(state), List.of(),
                refuse(state, REASON_UNCONFIRMED, deadline, "no print confirmed or refused it within "
                        + (holdMs % 1000 == 0 ? holdMs / 1000 + " s" : holdMs + " ms") + " (price-band-hold-seconds)"));
    }

    /** @return when the state's held prints' wait is over: the first held print's trade time + {@link #holdMs}, epoch ms */
    public long deadline(State state) {
        return state.held().get(0).timestamp() + holdMs;
    }

    /**
     * The state once its held prints are refused unconfirmed: nothing held, and the level refused unconfirmed updated.
     * A held print within the band of the level already refused unconfirmed, later than that level's last print, is
     * one more confirmation of it ({@link State#agreeing}); else the first held print starts a new level, and the held
     * prints after it that agree with it (each later than the last) are its confirmations.
     */
    private State afterRefusedUnconfirmed(State state) {
        PriceTick level = state.unconfirmed();
        List<PriceTick> agreeing = new ArrayList<>(state.agreeing());
        List<PriceTick> held = state.held();
        for (int i = 0; i < held.size(); i++) {
            PriceTick t = held.get(i);
            if (level != null && agrees(level, agreeing, t)) {
                agreeing.add(t);
            } else if (i == 0) {
                level = t;
                agreeing.clear();
            }
        }
        return new State(state.reference(), state.referenceAt(), List.of(), level, agreeing);
    }

    /** @return whether {@code t} is within the band of {@code level} and later than its last print */
    private boolean agrees(PriceTick level, List<PriceTick> agreeing, PriceTick t) {
        long last = agreeing.isEmpty() ? level.timestamp() : agreeing.get(agreeing.size() - 1).timestamp();
        return t.timestamp() > last && within(level.price(), level.timestamp(), t);
    }

    private Step decide(State state, PriceTick tick) {
        if (tick.timestamp() < state.referenceAt() && within(state.reference(), state.referenceAt(), tick)) {
            // a late print (traded before the reference) within its band: the stages see it, the state stays as it was —
            // it says nothing of where the market is now: it neither refuses a held print nor clears a level refused
            // unconfirmed (found in review of the late-print fix, 2026-12-07: LatePrintReferenceTest)
            return new Step(state, List.of(tick), List.of());
        }
        if (state.held().isEmpty()) {
            if (within(state.reference(), state.referenceAt(), tick)) {
                return accept(state, tick, List.of(tick), List.of());
            }
            PriceTick level = state.unconfirmed();
            if (level != null && agrees(level, state.agreeing(), tick) && state.agreeing().size() + 1 >= confirmations) {
                return accept(state, tick, List.of(tick), List.of());   // a genuine move whose confirmations came too late
            }
            return new Step(state.holding(List.of(tick)), List.of(), List.of());
        }
        if (within(state.reference(), state.referenceAt(), tick)) {
            return accept(state, tick, List.of(tick), refuse(state, REASON, tick.timestamp(), "the next print "
                    + price(tick.price()) + " is within the band of the reference"));
        }
        PriceTick suspect = state.held().get(0);
        if (within(suspect.price(), suspect.timestamp(), tick)) {
            List<PriceTick> held = new ArrayList<>(state.held());
            held.add(tick);
            int confirming = confirmations(suspect, held);
            if (confirming >= confirmations) {
                return accept(state, tick, held, List.of());
            }
            // a print of a later instant is one more confirmation and is held whatever the count (at most
            // confirmations - 1 of them beyond MAX_HELD); refusing it lost the step, and a genuine gap whose first
            // instant had MAX_HELD prints was never confirmed (found in review, 2026-12-06)
            if (state.held().size() >= MAX_HELD && confirming == confirmations(suspect, state.held())) {
                return new Step(state, List.of(), List.of(refused(state, tick, REASON_OVERFLOW, tick.timestamp(),
                        "the symbol holds " + MAX_HELD + " prints already at the suspect level, the most it holds")));
            }
            return new Step(state.holding(held), List.of(), List.of());
        }
        return new Step(state.holding(List.of(tick)), List.of(),
                refuse(state, REASON, tick.timestamp(), "the next print " + price(tick.price())
                        + " is outside its band and the reference's"));
    }

    /**
     * @return the held prints that confirm {@code suspect}, the first held print: each at a later trade time than the
     *         one before (and than {@code suspect}), as the confirmations of a level refused unconfirmed are counted
     *         ({@link #agrees}). Prints of one instant are one event (one order's fills): until 2026-12-06 two prints of
     *         one later instant counted twice here (but once for a level refused unconfirmed), so with two
     *         confirmations a second erroneous order's two fills accepted the first's (found in review)
     */
    private static int confirmations(PriceTick suspect, List<PriceTick> held) {
        long last = suspect.timestamp();
        int n = 0;
        for (PriceTick t : held) {
            if (t.timestamp() > last) {
                n++;
                last = t.timestamp();
            }
        }
        return n;
    }

    /**
     * @return the step accepting {@code accepted}, whose last print {@code last} becomes the reference, unless it traded
     *         before the reference (a late print): the reference stays the latest accepted print in trade time. Before
     *         (found in review, 2026-12-07) a late print became the reference with its older trade time, and the band of
     *         the next print widened with the time since it: an hour-old late print accepted a print 50 % away at once
     */
    private static Step accept(State prior, PriceTick last, List<PriceTick> accepted, List<RefusedTick> refused) {
        State next = prior != null && last.timestamp() < prior.referenceAt()
                ? new State(prior.reference(), prior.referenceAt(), List.of())
                : new State(last.price(), last.timestamp(), List.of());
        return new Step(next, accepted, refused);
    }

    private List<RefusedTick> refuse(State state, String reason, long refusedAt, String detail) {
        List<RefusedTick> out = new ArrayList<>(state.held().size());
        for (PriceTick t : state.held()) {
            out.add(refused(state, t, reason, refusedAt, detail));
        }
        return out;
    }

    private RefusedTick refused(State state, PriceTick t, String reason, long refusedAt, String detail) {
        double band = Math.expm1(logBand(t.timestamp() - state.referenceAt())) * 100;
        return new RefusedTick(t, reason, state.reference(), state.referenceAt(),
                (t.price() / state.reference() - 1) * 100, band, detail, refusedAt);
    }

    private static String price(double p) {
        return String.format(Locale.ROOT, "%,.2f", p);
    }
}
