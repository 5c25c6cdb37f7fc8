package io.quantumtrader.trader.reference;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.OrderRejected;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.adx.ADXIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.num.DoubleNum;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The trading system's documented rules (docs/TRADING-PIPELINE.md, config/risk-rules.yaml, DESIGN §7) written a
 * second time as one sequential loop over the ticks, for the differential test. It imports nothing from the trading
 * code but event records ({@code trader.events}): its own candle windows, its own regime, advisory, risk, sizing,
 * venue, position, exit and P&amp;L arithmetic, and ta4j's indicators directly. Where the pipeline and this loop
 * disagree, one of them does not follow the documented rules.
 *
 * <p>Order (the pipeline's two layers merged in event time, docs/TRADING-PIPELINE.md): the market data runs over the
 * ticks (candle windows closed by stream time → regime → advisory); the portfolio runs over the ticks and the closed
 * candles' outcomes merged by event time (a candle's at window end − 1 ms, after the ticks of that millisecond): an
 * outcome updates the symbol's regime and, for a signal, runs kill-switch gate → risk → sizer → order entry; a tick
 * runs the venue (fills the symbol's orders placed before it) → positions and account (the symbol's position marked at
 * the tick; daily loss, kill switch and de-risk state on marked equity: realized equity plus the open positions at
 * their marks less their entry fees; the drawdown from the highest realized equity; the de-risk state left only below
 * its threshold less the hysteresis margin) → exit checks (an exit order fills on the next tick of its symbol). Call {@link #end()} after the
 * last tick.
 */
public final class IndependentReference {

    /** The rules, read from config/risk-rules.yaml by this class (not by the trading code's parser). */
    public record Rules(double startingEquity, double riskPct, double dailyLossPct, double maxDrawdownPct, int maxOpen,
                        double capPct, double minEdge, boolean resetDaily, boolean allowAdds, double softDrawdownPct,
                        double hardDrawdownPct, boolean softOnSpike, double hysteresisPct, double slippageBps, double feeBps,
                        double bandPct, int bandConfirmations, long bandHoldSeconds, double bandMaxWidening,
                        double gapTolerancePct, int spikeStaleCandles, int entryExpiryCandles, int maxHoldCandles) {

        /** The rules with the time exit 240 candles after the open (the documented default: 4 h of 1-minute candles). */
        public Rules(double startingEquity, double riskPct, double dailyLossPct, double maxDrawdownPct, int maxOpen,
                     double capPct, double minEdge, boolean resetDaily, boolean allowAdds, double softDrawdownPct,
                     double hardDrawdownPct, boolean softOnSpike, double hysteresisPct, double slippageBps, double feeBps,
                     double bandPct, int bandConfirmations, long bandHoldSeconds, double bandMaxWidening,
                     double gapTolerancePct, int spikeStaleCandles, int entryExpiryCandles) {
            this(startingEquity, riskPct, dailyLossPct, maxDrawdownPct, maxOpen, capPct, minEdge, resetDaily, allowAdds,
                    softDrawdownPct, hardDrawdownPct, softOnSpike, hysteresisPct, slippageBps, feeBps, bandPct,
                    bandConfirmations, bandHoldSeconds, bandMaxWidening, gapTolerancePct, spikeStaleCandles,
                    entryExpiryCandles, 240);
        }

        /** The rules with a pending entry expiring 60 candles after its request (the documented default). */
        public Rules(double startingEquity, double riskPct, double dailyLossPct, double maxDrawdownPct, int maxOpen,
                     double capPct, double minEdge, boolean resetDaily, boolean allowAdds, double softDrawdownPct,
                     double hardDrawdownPct, boolean softOnSpike, double hysteresisPct, double slippageBps, double feeBps,
                     double bandPct, int bandConfirmations, long bandHoldSeconds, double bandMaxWidening,
                     double gapTolerancePct, int spikeStaleCandles) {
            this(startingEquity, riskPct, dailyLossPct, maxDrawdownPct, maxOpen, capPct, minEdge, resetDaily, allowAdds,
                    softDrawdownPct, hardDrawdownPct, softOnSpike, hysteresisPct, slippageBps, feeBps, bandPct,
                    bandConfirmations, bandHoldSeconds, bandMaxWidening, gapTolerancePct, spikeStaleCandles, 60);
        }

        /** The rules with a CHAOTIC regime counting as a spike for 60 candles after its own (the documented default). */
        public Rules(double startingEquity, double riskPct, double dailyLossPct, double maxDrawdownPct, int maxOpen,
                     double capPct, double minEdge, boolean resetDaily, boolean allowAdds, double softDrawdownPct,
                     double hardDrawdownPct, boolean softOnSpike, double hysteresisPct, double slippageBps, double feeBps,
                     double bandPct, int bandConfirmations, long bandHoldSeconds, double bandMaxWidening,
                     double gapTolerancePct) {
            this(startingEquity, riskPct, dailyLossPct, maxDrawdownPct, maxOpen, capPct, minEdge, resetDaily, allowAdds,
                    softDrawdownPct, hardDrawdownPct, softOnSpike, hysteresisPct, slippageBps, feeBps, bandPct,
                    bandConfirmations, bandHoldSeconds, bandMaxWidening, gapTolerancePct, 60);
        }

        /** @return the rules of {@code file}, 5 bps slippage and 10 bps fee (the paper venue's documented model) */
        public static Rules fromYaml(Path file) {
            try (InputStream in = Files.newInputStream(file)) {
                Map<?, ?> m = YAMLMapper.builder().build().readValue(in, Map.class);
                return new Rules(num(m, "starting-equity-usd"), num(m, "risk-per-trade-pct"), num(m, "daily-loss-limit-pct"),
                        num(m, "max-drawdown-pct"), (int) num(m, "max-open-positions"), num(m, "gross-exposure-cap-pct"),
                        num(m, "min-edge-score"), bool(m, "kill-switch-resets-daily"), bool(m, "allow-adds"),
                        num(m, "soft-derisk-drawdown-pct"), num(m, "hard-derisk-drawdown-pct"),
                        bool(m, "soft-derisk-on-volatility-spike"), num(m, "derisk-hysteresis-pct"), 5, 10,
                        num(m, "price-band-pct"), (int) num(m, "price-band-confirmations"),
                        (long) num(m, "price-band-hold-seconds"), optional(m, "price-band-max-widening", 16),
                        optional(m, "entry-gap-tolerance-pct", 10),
                        (int) optional(m, "volatility-spike-stale-candles", 60),
                        (int) optional(m, "pending-entry-expiry-candles", 60),
                        (int) optional(m, "max-hold-candles", 240));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return these rules with the daily kill switch reset on or off */
        public Rules resetDaily(boolean reset) {
            return new Rules(startingEquity, riskPct, dailyLossPct, maxDrawdownPct, maxOpen, capPct, minEdge, reset, allowAdds,
                    softDrawdownPct, hardDrawdownPct, softOnSpike, hysteresisPct, slippageBps, feeBps, bandPct, bandConfirmations, bandHoldSeconds,
                    bandMaxWidening, gapTolerancePct, spikeStaleCandles, entryExpiryCandles, maxHoldCandles);
        }

        /** @return these rules with another slippage (a mutant for checking that the comparison can fail) */
        public Rules slippage(double bps) {
            return new Rules(startingEquity, riskPct, dailyLossPct, maxDrawdownPct, maxOpen, capPct, minEdge, resetDaily, allowAdds,
                    softDrawdownPct, hardDrawdownPct, softOnSpike, hysteresisPct, bps, feeBps, bandPct, bandConfirmations, bandHoldSeconds,
                    bandMaxWidening, gapTolerancePct, spikeStaleCandles, entryExpiryCandles, maxHoldCandles);
        }

        /** @return these rules with another number of price band confirmations */
        public Rules bandConfirmations(int confirmations) {
            return new Rules(startingEquity, riskPct, dailyLossPct, maxDrawdownPct, maxOpen, capPct, minEdge, resetDaily, allowAdds,
                    softDrawdownPct, hardDrawdownPct, softOnSpike, hysteresisPct, slippageBps, feeBps, bandPct, confirmations, bandHoldSeconds,
                    bandMaxWidening, gapTolerancePct, spikeStaleCandles, entryExpiryCandles, maxHoldCandles);
        }

        /** @return these rules with another gross exposure cap */
        public Rules cap(double pct) {
            return new Rules(startingEquity, riskPct, dailyLossPct, maxDrawdownPct, maxOpen, pct, minEdge, resetDaily, allowAdds,
                    softDrawdownPct, hardDrawdownPct, softOnSpike, hysteresisPct, slippageBps, feeBps, bandPct, bandConfirmations, bandHoldSeconds,
                    bandMaxWidening, gapTolerancePct, spikeStaleCandles, entryExpiryCandles, maxHoldCandles);
        }

        /** A rule files may leave out (added later): its documented default when absent. */
        private static double optional(Map<?, ?> m, String key, double absent) {
            return m.containsKey(key) ? num(m, key) : absent;
        }

        private static double num(Map<?, ?> m, String key) {
            Object v = m.get(key);
            if (v == null) {
                throw new IllegalArgumentException("risk rules lack " + key);
            }
            return ((Number) v).doubleValue();
        }

        private static boolean bool(Map<?, ?> m, String key) {
            return Boolean.TRUE.equals(m.get(key));
        }
    }

    /** An open position as this loop keeps it, marked at the symbol's last price. */
    public record Open(String positionId, String symbol, Direction direction, double size, double entryPrice, double mark,
                       double unrealizedUsd, double entryFeesUsd) {
    }

    // market data rules (docs/TRADING-PIPELINE.md): candles (1 minute by default) with 5 s grace; 120 candles kept; ADX/ATR 14;
    // ATR baseline over the 50 candles before; TRENDING at ADX 25; CHAOTIC at ATR >= 2 x baseline
    private static final long GRACE = 5_000;
    private static final int KEPT = 120;
    private static final int PERIOD = 14;
    private static final int BASELINE = 50;
    private static final double TRENDING_ADX = 25;
    private static final double SPIKE = 2;
    private static final int WARM_UP = Math.max(2 * PERIOD, PERIOD + BASELINE) + 1;
    // exits: 4 h maximum hold, a RANGING regime of confidence 0.9 ends a trend trade
    private static final double REGIME_EXIT = 0.9;

    /** A candle being built; {@code openAt}, {@code closeAt}: the trade times of its open and close prints, epoch ms. */
    private record Bar(double open, double high, double low, double close, double volume, long trades, long openAt, long closeAt) {
    }

    private record Regime(String name, double confidence, double adx, double atr, long candleEnd) {
    }

    /** {@code kills}, {@code deRiskAt}: for an entry, the kill switch activations and the de-risk state at its placement. */
    private record Order(String id, String requestId, String positionId, String symbol, Direction direction, boolean entry,
                         double size, double stop, double target, ExitReason reason, long placedAt, double reference,
                         int kills, String deRiskAt, long requestedAt) {
    }

    private static final class Pos {
        String id;
        String symbol;
        Direction direction;
        double size;
        double entry;
        double stop;
        double target;
        double fee;
        long openedAt;
        boolean closing;
        double mark;   // the symbol's last tick the portfolio processed (the entry fill price until then)
        double realized;   // P&L booked by the parts closed so far (hard de-risk's reductions), USD

        double unrealized(double price) {
            return (price - entry) * size * (direction == Direction.LONG ? 1 : -1);
        }

        Pos copy() {
            Pos c = new Pos();
            c.id = id;
            c.symbol = symbol;
            c.direction = direction;
            c.size = size;
            c.entry = entry;
            c.stop = stop;
            c.target = target;
            c.fee = fee;
            c.openedAt = openedAt;
            c.closing = closing;
            c.mark = mark;
            c.realized = realized;
            return c;
        }
    }

    private final Rules rules;
    private final long candleMs;
    private boolean peakOnMarks;
    private boolean limitsOnRealized;
    private boolean addsFreshBudget;
    private long tickIndex;
    private long streamTime = Long.MIN_VALUE;
    private final TreeMap<Long, TreeMap<String, Bar>> windows = new TreeMap<>();
    private final Map<String, Deque<double[]>> candles = new HashMap<>();   // per symbol: start, end, o, h, l, c, v
    private final Map<String, Regime> regimes = new TreeMap<>();
    private final TreeMap<String, Order> orders = new TreeMap<>();
    private final Map<String, Pos> positions = new TreeMap<>();
    private final Map<String, Double> lastPrice = new TreeMap<>();
    // the account (stored state) and its day; equity is realized, the peak is the highest realized equity (a high-water
    // mark an unrealized gain never raises), dayStart is marked equity
    private double equity;
    private double peak;
    private long day = Long.MIN_VALUE;
    private double dayStart;
    private int open;
    private double gross;
    private boolean kill;
    private String deRisk = "NORMAL";
    /** Every fill, in order. */
    public final List<OrderFilled> fills = new ArrayList<>();
    /** Every closed position, in order. */
    public final List<PositionClosed> closed = new ArrayList<>();
    /** De-risk state changes, as "from -> to". */
    public final List<String> deRiskChanges = new ArrayList<>();
    /** De-risk state changes with the time of the tick that made them, as "epoch ms from -> to". */
    public final List<String> deRiskTimeline = new ArrayList<>();
    /** Kill switch activations. */
    public int killSwitches;
    /** The times of the ticks that activated the kill switch, epoch ms. */
    public final List<Long> killSwitchTimes = new ArrayList<>();
    /** The ids of the entry orders cancelled when the kill switch tripped, in the order cancelled. */
    public final List<String> cancelledAtTrip = new ArrayList<>();
    /** Entry fills cancelled because the kill switch trips on their tick (or would with them). */
    public int entriesCancelledOnTrip;
    /** The orders cancelled, as {@code trades.order.rejected} carries them, in the order cancelled. */
    public final List<OrderRejected> rejected = new ArrayList<>();
    /**
     * Every cancellation of {@link #rejected} and every entry filled re-sized, counted by who decides it and why, as
     * {@code qt.streams.node.records.counted} counts them (docs/TRADING-PIPELINE.md "Counted"): {@code node|reason} →
     * how many; {@code paper-venue} at the fill, {@code position-state} at a kill switch trip or the entry into
     * HARD_DERISK. The reasons are written here as the table documents them; only the ones that happened are in it.
     */
    public final Map<String, Long> counted = new TreeMap<>();
    /** Largest exposure seen (open entry notional + pending entries) over equity, percent. */
    public double maxExposurePct;

    /** A reference with 1-minute candles. */
    public IndependentReference(Rules rules) {
        this(rules, 60_000);
    }

    /** @param candleMs candle size, ms (the replay's {@code --candle}) */
    public IndependentReference(Rules rules, long candleMs) {
        this.rules = rules;
        this.candleMs = candleMs;
        this.equity = rules.startingEquity;
        this.peak = equity;
        this.dayStart = equity;
    }

    /**
     * A mutant for checking that the comparison can fail: the peak follows the marked equity (the rule before the
     * high-water mark on realized equity, when one bad upward print set a phantom peak). Call before the first tick.
     *
     * @return this reference
     */
    public IndependentReference peakOnMarkedEquity() {
        peakOnMarks = true;
        return this;
    }

    /**
     * A mutant for checking that the comparison can fail: the daily loss, the kill switch, the drawdown and the de-risk
     * state on realized equity only (the rule before marked equity: an open position's loss counted only once it was
     * closed). Call before the first tick.
     *
     * @return this reference
     */
    public IndependentReference limitsOnRealizedEquity() {
        limitsOnRealized = true;
        return this;
    }

    /**
     * A mutant for checking that the comparison can fail: every add gets a fresh {@code riskPct} budget, the open
     * position's risk at its stop not taken off (the rule before 2026-12-06). Call before the first tick.
     *
     * @return this reference
     */
    public IndependentReference addsWithAFreshBudget() {
        addsFreshBudget = true;
        return this;
    }

    /** A closed candle's outcome for the portfolio: its regime and what the advisory needs, at event time end − 1. */
    private record CandleEvent(String symbol, long end, long now, Regime regime, double close, double ema20, double ema50) {
    }

    private final List<PriceTick> ticksSeen = new ArrayList<>();
    private final List<CandleEvent> candleEvents = new ArrayList<>();
    private boolean ended;

    /**
     * Takes one tick (ticks in the order they are published). The market-data layer (candles, regime, advisory) runs
     * at once; the portfolio runs at {@link #end()}, over ticks and candle outcomes merged by event time.
     */
    public void onTick(PriceTick t) {
        if (rules.bandPct() <= 0) {
            accepted(t);
            return;
        }
        // the price band (docs/TRADING-PIPELINE.md "Erroneous prints"): compared with the symbol's last accepted print,
        // a print beyond the band waits for the next print, which either refuses it (back at the old level, or at a
        // third level) or confirms it (near it); the band is (1 + pct) as a ratio either way, raised to the square
        // root of the minutes since the print compared with, when more than one, and at most 16
        // a held print no print decided within price-band-hold-seconds of its trade time is refused unconfirmed; the
        // band remembers the level refused that way with its prints: the prints near the level's first one, each
        // traded after the one before, are its confirmations; a waiting print far from it begins a new level
        Band band = bands.get(t.symbol());
        if (band != null && !band.waiting.isEmpty()
                && t.timestamp() - band.waiting.get(0).timestamp() > rules.bandHoldSeconds() * 1000) {
            unconfirmedTicks.addAll(band.waiting);
            for (PriceTick w : band.waiting) {
                if (band.nearRefusedLevel(w)) {
                    band.refusedLevel.add(w);
                } else if (w == band.waiting.get(0)) {
                    band.refusedLevel.clear();
                    band.refusedLevel.add(w);
                }
            }
            band.waiting.clear();
        }
        if (band == null) {
            bands.put(t.symbol(), band = new Band());
            band.take(t);
            accepted(t);
        } else if (t.timestamp() < band.at && close(band.price, band.at, t)) {
            accepted(t);   // a late print near the last accepted one: passed on, the band as it was
        } else if (band.waiting.isEmpty()) {
            if (close(band.price, band.at, t)) {
                band.take(t);
                accepted(t);
            } else if (band.nearRefusedLevel(t) && band.refusedLevel.size() >= rules.bandConfirmations()) {
                // near a level refused unconfirmed, with this print its confirmations (each of them came too late
                // to be counted while waiting) make the configured number: the move is real
                band.take(t);
                accepted(t);
            } else {
                band.waiting.add(t);
            }
        } else if (close(band.price, band.at, t)) {
            refusedTicks.addAll(band.waiting);
            band.waiting.clear();
            band.take(t);
            accepted(t);
        } else if (close(band.waiting.get(0).price(), band.waiting.get(0).timestamp(), t)) {
            // near the waiting level: it confirms it only when traded after the first waiting print and after the
            // confirmation before it (prints of the same millisecond are one event, one order's fills); the waiting
            // prints pass once enough later ones came
            long lastConfirming = band.waiting.get(0).timestamp();
            int later = 0;
            for (PriceTick w : band.waiting) {
                if (w.timestamp() > lastConfirming) {
                    later++;
                    lastConfirming = w.timestamp();
                }
            }
            boolean confirms = t.timestamp() > lastConfirming;   // a later instant: one more confirmation
            band.waiting.add(t);
            if (confirms) {
                later++;
            }
            if (later == rules.bandConfirmations()) {
                band.waiting.forEach(this::accepted);
                band.waiting.clear();
                band.take(t);
            } else if (band.waiting.size() > 1_000 && !confirms) {
                // a symbol waits on at most 1,000 prints; one more that would wait is refused at once, unless it is
                // one more confirmation (a later instant), which always waits
                band.waiting.remove(band.waiting.size() - 1);
                overflowTicks.add(t);
            }
        } else {
            refusedTicks.addAll(band.waiting);
            band.waiting.clear();
            band.waiting.add(t);
        }
    }

    /** The prints the price band refused because the next print did (reason price_band), in the order they were refused. */
    public final List<PriceTick> refusedTicks = new ArrayList<>();
    /** The prints the price band refused because no print decided them in time (price_band_unconfirmed), in order. */
    public final List<PriceTick> unconfirmedTicks = new ArrayList<>();
    /** The prints the price band refused because their symbol waited on 1,000 prints already (price_band_overflow). */
    public final List<PriceTick> overflowTicks = new ArrayList<>();
    private final Map<String, Band> bands = new HashMap<>();

    /** One symbol's price band: the last accepted print and the prints waiting for the next. */
    private final class Band {
        double price;
        long at;
        final List<PriceTick> waiting = new ArrayList<>();
        // the last level refused unconfirmed since the accepted print: its first print, then the prints refused
        // unconfirmed near it, each later than the one before (its confirmations so far); empty: none
        final List<PriceTick> refusedLevel = new ArrayList<>();

        void take(PriceTick t) {
            if (!taken || t.timestamp() >= at) {   // a late print is accepted but the band stays on the latest print
                price = t.price();
                at = t.timestamp();
                taken = true;
            }
            refusedLevel.clear();
        }

        boolean taken;

        boolean nearRefusedLevel(PriceTick t) {
            if (refusedLevel.isEmpty()) {
                return false;
            }
            PriceTick first = refusedLevel.get(0);
            return t.timestamp() > refusedLevel.get(refusedLevel.size() - 1).timestamp() && close(first.price(), first.timestamp(), t);
        }
    }

    private boolean close(double price, long at, PriceTick t) {
        // a print stamped before the one compared with (out of order) is within the minute: the base band (the square
        // root of negative minutes was NaN, and every such print was held; found in review, 2026-12-06)
        double minutes = Math.max(0, (t.timestamp() - at) / 60_000.0);
        double limit = Math.pow(1 + rules.bandPct() / 100, Math.min(rules.bandMaxWidening(), Math.max(1, Math.sqrt(minutes))));
        return Math.max(t.price() / price, price / t.price()) <= limit;
    }

    private void accepted(PriceTick t) {
        ticksSeen.add(t);
        lastPrice.put(t.symbol(), t.price());
        closeCandles(t, 0);
    }

    /**
     * No more ticks: runs the portfolio over the ticks and the closed candles' outcomes in event-time order — a
     * candle's outcome (event time: window end − 1 ms) goes before every tick after it, after the ticks at the same
     * millisecond; outcomes in the order their candles closed. An entry placed by a signal fills at the symbol's next
     * tick. Results are read after this.
     */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        // no print will come: the prints still waiting for one are refused unconfirmed (as the pipeline's band does at
        // the end of its input since 2026-12-06)
        for (Band band : bands.values()) {
            unconfirmedTicks.addAll(band.waiting);
            band.waiting.clear();
        }
        int e = 0;
        for (PriceTick t : ticksSeen) {
            while (e < candleEvents.size() && candleEvents.get(e).now < t.timestamp()) {
                List<CandleEvent> atOnce = atOnce(e);
                apply(atOnce);
                e += atOnce.size();
            }
            long index = ++tickIndex;
            venueAndPositions(t, index);
            exits(t, index);
        }
        while (e < candleEvents.size()) {
            List<CandleEvent> atOnce = atOnce(e);
            apply(atOnce);
            e += atOnce.size();
        }
    }

    /**
     * Runs the outcomes of the candles that closed at one instant (the same event time): every signal first, judged on
     * the regimes known before that instant, then the regimes (the portfolio merges its inputs in event time, a tie going
     * to the input declared first: the signals before the regimes).
     */
    private void apply(List<CandleEvent> atOnce) {
        for (CandleEvent c : atOnce) {
            advise(c.symbol, c.close, c.end, c.now, c.regime, c.ema20, c.ema50, Long.MIN_VALUE);
        }
        for (CandleEvent c : atOnce) {
            regimes.put(c.symbol, c.regime);
        }
    }

    /** @return the candle outcomes from {@code e} on with the event time of the one at {@code e} */
    private List<CandleEvent> atOnce(int e) {
        List<CandleEvent> out = new ArrayList<>();
        for (int i = e; i < candleEvents.size() && candleEvents.get(i).now == candleEvents.get(e).now; i++) {
            out.add(candleEvents.get(i));
        }
        return out;
    }

    // ---- candles ---------------------------------------------------------------------------------------------------

    private void closeCandles(PriceTick t, long index) {
        streamTime = Math.max(streamTime, t.timestamp());
        long start = Math.floorDiv(t.timestamp(), candleMs) * candleMs;
        if (start + candleMs > streamTime - GRACE) {
            windows.computeIfAbsent(start, s -> new TreeMap<>()).merge(t.symbol(),
                    new Bar(t.price(), t.price(), t.price(), t.price(), t.size(), 1, t.timestamp(), t.timestamp()),
                    // open and close by trade time (a print that arrives out of order lands where it traded; of prints
                    // of one instant the first is the open and the last the close); until 2026-12-06 by arrival, found
                    // in review: an out-of-order print changed the reference's candles and stops, not the pipeline's
                    (b, n) -> new Bar(t.timestamp() < b.openAt ? t.price() : b.open, Math.max(b.high, t.price()),
                            Math.min(b.low, t.price()), t.timestamp() >= b.closeAt ? t.price() : b.close,
                            b.volume + t.size(), b.trades + 1, Math.min(b.openAt, t.timestamp()), Math.max(b.closeAt, t.timestamp())));
        }
        while (!windows.isEmpty() && windows.firstKey() + candleMs + GRACE <= streamTime) {
            Map.Entry<Long, TreeMap<String, Bar>> w = windows.pollFirstEntry();
            for (Map.Entry<String, Bar> c : w.getValue().entrySet()) {
                onCandle(c.getKey(), w.getKey(), c.getValue(), index);
            }
        }
    }

    private void onCandle(String symbol, long start, Bar bar, long index) {
        long end = start + candleMs;
        long now = end - 1;   // a closed window's event time
        Deque<double[]> h = candles.computeIfAbsent(symbol, s -> new ArrayDeque<>());
        h.addLast(new double[]{start, end, bar.open, bar.high, bar.low, bar.close, bar.volume});
        while (h.size() > KEPT) {
            h.removeFirst();
        }
        if (h.size() < WARM_UP) {
            return;
        }
        BarSeries series = new BaseBarSeriesBuilder().withNumTypeOf(DoubleNum.class).build();
        for (double[] c : h) {
            series.addBar(Duration.ofMillis((long) (c[1] - c[0])), ZonedDateTime.ofInstant(Instant.ofEpochMilli((long) c[1]), ZoneOffset.UTC),
                    c[2], c[3], c[4], c[5], c[6]);
        }
        int last = series.getEndIndex();
        ATRIndicator atrs = new ATRIndicator(series, PERIOD);
        double adx = new ADXIndicator(series, PERIOD).getValue(last).doubleValue();
        double atr = atrs.getValue(last).doubleValue();
        double sum = 0;
        for (int i = last - BASELINE; i < last; i++) {
            sum += atrs.getValue(i).doubleValue();
        }
        double baseline = sum / BASELINE;
        double ratio = baseline > 0 ? atr / baseline : atr > 0 ? Double.POSITIVE_INFINITY : 0;   // a move after a flat stretch: a spike
        String name = ratio >= SPIKE ? "CHAOTIC" : adx >= TRENDING_ADX ? "TRENDING" : "RANGING";
        double confidence = switch (name) {
            case "CHAOTIC" -> Math.min(1, ratio / (2 * SPIKE));
            case "TRENDING" -> Math.min(1, adx / (2 * TRENDING_ADX));
            default -> Math.min(1, 0.5 + (TRENDING_ADX - adx) / (2 * TRENDING_ADX));
        };
        Regime r = new Regime(name, micro(confidence), micro(adx), sixDigits(atr), end);
        ClosePriceIndicator close = new ClosePriceIndicator(series);
        double ema20 = new EMAIndicator(close, 20).getValue(last).doubleValue();
        double ema50 = new EMAIndicator(close, 50).getValue(last).doubleValue();
        candleEvents.add(new CandleEvent(symbol, end, now, r, bar.close, ema20, ema50));
    }

    // ---- advisory, risk, sizing, order entry -------------------------------------------------------------------------

    private void advise(String symbol, double close, long end, long now, Regime r, double ema20, double ema50, long index) {
        viewDay(now);
        // the kernel (and order entry) judge a NORMAL account in SOFT_DERISK once a spike is known, before a tick stores it
        String deRisk = judgedAt(now);
        if (viewKill || !r.name.equals("TRENDING") || !(r.atr > 0)) {
            return;
        }
        Direction d = close > ema20 && ema20 > ema50 ? Direction.LONG : close < ema20 && ema20 < ema50 ? Direction.SHORT : null;
        if (d == null) {
            return;
        }
        double sign = d == Direction.LONG ? 1 : -1;
        double stop = close - sign * 2 * r.atr;
        double target = close + sign * 3 * r.atr;
        double edge = Math.min(100, Math.round(2 * r.adx * r.confidence * 10) / 10.0);
        String signalId = symbol + "-" + end;
        // risk kernel: an add takes the open position's stop and target (the merge keeps them) and is sized at that stop
        Pos adding = positions.get(symbol);
        if (adding != null && adding.direction == d && !adding.closing) {
            stop = adding.stop;
            target = adding.target;
        }
        double distance = Math.abs(close - stop);
        boolean safeSide = d == Direction.LONG ? stop < close : stop > close;
        // a stop or a target at or below 0 is never reached (a LONG's stop 2 ATR below a low price, a SHORT's target 3
        // ATR below it): no trade
        boolean reachable = stop > 0 && target > 0;
        if (edge < rules.minEdge || !(distance > 0) || !safeSide || !reachable || lossPct(marked(), viewDayStart) >= rules.dailyLossPct
                || drawdownPct() >= rules.maxDrawdownPct || "HARD_DERISK".equals(deRisk)) {
            return;
        }
        Set<String> pendingSymbols = new TreeSet<>();
        double pendingNotional = 0;
        for (Order o : orders.values()) {
            if (o.entry) {
                pendingSymbols.add(o.symbol);
                pendingNotional += o.size * o.reference;
            }
        }
        Pos held = positions.get(symbol);
        if (pendingSymbols.contains(symbol)) {
            return;
        }
        if (held != null) {
            if (held.closing || held.direction != d || !rules.allowAdds || "SOFT_DERISK".equals(deRisk)) {
                return;
            }
        } else {
            long fresh = pendingSymbols.stream().filter(s -> !positions.containsKey(s)).count();
            if (open + fresh >= rules.maxOpen) {
                return;
            }
        }
        double risk = equity * rules.riskPct / 100;
        // the loss at the stop a trade may risk includes both fills' costs: each side pays slippage and fee on
        // (about) its price, the entry on the signal's close, the exit on the stop
        double costs = (close + stop) * (rules.slippageBps + rules.feeBps) / 10_000;
        if (held != null && !addsFreshBudget) {
            // an add: the position and its adds together risk at most riskPct at the stop, so what the held position
            // would lose at it (from its average entry, costs alike) is taken off the budget; nothing left: no add
            double perUnit = (held.direction == Direction.LONG ? held.entry - held.stop : held.stop - held.entry)
                    + (held.entry + held.stop) * (rules.slippageBps + rules.feeBps) / 10_000;
            risk -= Math.max(0, held.size * perUnit);
            if (Math.round(risk * 100) / 100.0 <= 0 || floor6(risk / (distance + costs)) <= 0) {
                return;
            }
        }
        double size = risk / (distance + costs);
        double room = equity * rules.capPct / 100 - gross - pendingNotional;
        if (size * close > room) {
            double capped = Math.max(0, room / close);
            if (floor6(capped) <= 0) {
                return;
            }
            size = capped;
            risk = size * (distance + costs);
        }
        if ("SOFT_DERISK".equals(deRisk)) {   // half of what NORMAL would get, after the cap
            size /= 2;
            risk = size * (distance + costs);
            if (floor6(size) <= 0) {
                return;
            }
        }
        double maxSize = floor6(size);
        double maxRisk = Math.round(risk * 100) / 100.0;
        // sizer
        double qty = Math.min(floor6(maxRisk / distance), maxSize);   // maxSize is on the 1e-6 grid already
        if (!(qty > 0)) {
            return;
        }
        // order entry (refused under the kill switch: checked above on the same view)
        String requestId = "req-" + signalId;
        orders.put("ord-" + requestId, new Order("ord-" + requestId, requestId, "pos-" + signalId, symbol, d, true, qty,
                stop, target, null, index, close, killSwitches, deRisk, now));
        maxExposurePct = Math.max(maxExposurePct, (gross + pendingNotional + qty * close) / equity * 100);
    }

    // ---- venue, positions, account -------------------------------------------------------------------------------------

    private void venueAndPositions(PriceTick t, long index) {
        viewDay(t.timestamp());
        boolean killNow = viewKill;
        // entries too, at their fill: a CHAOTIC candle elsewhere since the last tick counts at once
        String judged = judgedAt(t.timestamp());
        List<OrderFilled> now = new ArrayList<>();
        Map<OrderFilled, Order> entryOrders = new java.util.HashMap<>();
        Map<OrderFilled, List<String>> entryResizes = new java.util.HashMap<>();
        double tickEntries = 0;   // entry notional this tick's entries filled so far (booked after the loop, below)
        long expiryMs = (long) rules.entryExpiryCandles * candleMs;
        for (Order o : new ArrayList<>(orders.values())) {
            // an entry its symbol's prints did not fill within the expiry of its request: cancelled on any symbol's tick
            if (o.entry && o.requestedAt != Long.MIN_VALUE && o.placedAt != index && t.timestamp() - o.requestedAt >= expiryMs) {
                orders.remove(o.id);
                cancelled(o, "expired, no print of " + o.symbol + " filled it within " + rules.entryExpiryCandles
                        + " candles (" + expiryMs / 1000 + " s) of its placement", "entry_cancelled_expired", t);
                continue;
            }
            if (!o.symbol.equals(t.symbol()) || o.placedAt == index) {
                continue;
            }
            if (o.entry && t.timestamp() < o.requestedAt) {
                continue;   // an entry does not fill on a late print stamped before its signal: the next one
            }
            Pos exiting = o.entry ? null : positions.get(o.symbol);
            if (exiting != null && t.timestamp() < exiting.openedAt) {
                continue;   // an exit does not fill on a print from before its position opened: the next one
            }
            orders.remove(o.id);
            boolean buy = (o.direction == Direction.LONG) == o.entry;
            boolean limit = o.reason == ExitReason.TAKE_PROFIT;   // a limit order at the target, immediate or cancel
            if (limit && (o.direction == Direction.LONG ? t.price() < o.target : t.price() > o.target)) {
                Pos held = positions.get(o.symbol);   // cancelled: the tick did not reach the target
                if (held != null) {
                    held.closing = false;
                }
                cancelled(o, String.format("the take profit's limit %.4f was not reached (the tick traded at %.4f)",
                        o.target, t.price()), "take_profit_cancelled_limit_not_reached", t);
                continue;
            }
            // an entry is judged again at its fill: kill switch active, hard de-risk (no entries), soft de-risk (no adds);
            // a kill switch tripped since it was placed (even if reset), the daily loss and drawdown limits of now
            if (o.entry) {
                double loss = lossPct(marked(), viewDayStart);
                String why = null;
                String reason = null;
                if (killNow) {
                    why = "kill switch active";
                    reason = "entry_cancelled_kill_switch_active";
                } else if ("HARD_DERISK".equals(judged)) {
                    why = "hard de-risk: no new entries";
                    reason = "entry_cancelled_hard_derisk";
                } else if ("SOFT_DERISK".equals(judged) && positions.containsKey(o.symbol)) {
                    why = "soft de-risk: no adds";
                    reason = "entry_cancelled_soft_derisk_add";
                } else if (killSwitches > o.kills) {
                    why = "the kill switch tripped after the entry was placed (activations " + o.kills + " -> " + killSwitches + ")";
                    reason = "entry_cancelled_kill_switch_since_placed";
                } else if (loss >= rules.dailyLossPct) {
                    why = "daily loss " + percent(loss) + "% reached the " + percent(rules.dailyLossPct) + "% limit";
                    reason = "entry_cancelled_daily_loss_limit";
                } else if (drawdownPct() >= rules.maxDrawdownPct) {
                    why = "drawdown " + percent(drawdownPct()) + "% reached the " + percent(rules.maxDrawdownPct) + "% limit";
                    reason = "entry_cancelled_drawdown_limit";
                }
                if (why != null) {
                    cancelled(o, why, reason, t);
                    continue;
                }
            }
            double slip = t.price() * rules.slippageBps / 10_000;
            double price = buy ? t.price() + slip : t.price() - slip;
            if (limit) {
                price = buy ? Math.min(price, o.target) : Math.max(price, o.target);   // never worse than the limit
            }
            if (o.entry && (o.direction == Direction.LONG ? roundPrice(price) <= o.stop : roundPrice(price) >= o.stop)) {
                cancelled(o, String.format("the fill price %.4f is at or beyond the order's stop %.4f", roundPrice(price), o.stop),
                        "entry_cancelled_fill_at_stop", t);
                continue;   // an entry never fills at or beyond its own stop
            }
            if (o.entry && (o.direction == Direction.LONG ? t.price() <= o.stop : t.price() >= o.stop)) {
                cancelled(o, String.format("the print %.4f is at or beyond the order's stop %.4f: the position would be "
                        + "stopped out on the tick that opens it", t.price(), o.stop), "entry_cancelled_fill_at_stop", t);
                continue;   // nor on a print the stop check of the same tick would close it on
            }
            if (o.entry && o.target > 0 && (o.direction == Direction.LONG ? roundPrice(price) >= o.target : roundPrice(price) <= o.target)) {
                cancelled(o, String.format("the fill price %.4f is at or beyond the order's target %.4f", roundPrice(price), o.target),
                        "entry_cancelled_fill_at_target", t);
                continue;   // nor at or beyond its own target
            }
            double size = o.size;
            List<String> resizes = new ArrayList<>();   // counted once the entry fills (not if cancelled on its tick)
            if (o.entry) {
                if ("SOFT_DERISK".equals(judged) && "NORMAL".equals(o.deRiskAt)) {
                    size = (Math.round(size * 1e6) / 2) / 1e6;   // soft de-risk entered after the approval: half size, in whole steps
                    resizes.add("entry_halved_soft_derisk");
                }
                // a gap: the loss at the stop from the fill, costs included, more than entry-gap-tolerance-pct (10 %
                // when the file has none) above the approved one (from the signal's close) takes the size down to the
                // approved loss
                double perSide = (rules.slippageBps + rules.feeBps) / 10_000;
                double approved = Math.abs(o.reference - o.stop) + (o.reference + o.stop) * perSide;
                double atFill = Math.abs(roundPrice(price) - o.stop) + roundPrice(price) * rules.feeBps / 10_000 + o.stop * perSide;
                if (atFill > approved * (1 + rules.gapTolerancePct / 100)) {
                    size = floor6(size * approved / atFill);
                    resizes.add("entry_resized_gap");
                }
                if (!(size > 0)) {
                    cancelled(o, String.format("nothing left of size %.6f after halving or re-sizing", o.size),
                            "entry_cancelled_no_size_left", t);
                    continue;
                }
                // the gross exposure cap holds at the fill too: the book's entry notional, with the entries this tick
                // filled before this one (booked below, after the loop), plus this fill's at its price within capPct of
                // realized equity, else down to the room left, cancelled when none is (review 2, 2026-12-06: a SHORT
                // filling nearer its stop went over; and two entries of one tick that each fitted went over together)
                double allowed = equity * rules.capPct / 100;
                double held = gross + tickEntries;
                if (roundPrice(price) * size > allowed - held) {
                    size = Math.max(0, floor6((allowed - held) / roundPrice(price)));
                    if (!(size > 0)) {
                        cancelled(o, String.format("gross exposure cap %s%% reached at the fill (%.2f USD open, %.2f USD allowed)",
                                percent(rules.capPct), held, allowed), "entry_cancelled_gross_cap", t);
                        continue;
                    }
                    resizes.add("entry_resized_gross_cap");
                }
            }
            double fee = price * size * rules.feeBps / 10_000;
            double booked = roundPrice(price);
            if (limit && (buy ? booked > o.target : booked < o.target)) {
                booked = o.target;   // the limit or better, after the rounding too
            }
            OrderFilled filled = new OrderFilled("fill-" + o.id, o.requestId, o.positionId, o.symbol, o.direction,
                    o.entry ? OrderFilled.Purpose.ENTRY : OrderFilled.Purpose.EXIT, size, booked, round4(fee),
                    round4(Math.abs(price - t.price()) * size), t.timestamp(), o.stop, o.target, o.reason);
            now.add(filled);
            if (o.entry) {
                entryOrders.put(filled, o);
                entryResizes.put(filled, resizes);
                tickEntries += filled.price() * size;
            }
        }
        storeDay(t.timestamp());
        // the tick booked on a copy with its exits, without its entries: its own loss and drawdown, for both rules below
        boolean entering = !kill && now.stream().anyMatch(f -> f.purpose() == OrderFilled.Purpose.ENTRY);
        List<OrderFilled> others = now.stream().filter(f -> f.purpose() != OrderFilled.Purpose.ENTRY).toList();
        double without = entering ? lossIfBooked(others, t) : 0;
        double withoutDrawdown = entering ? lastDrawdownIfBooked : 0;
        // the tick alone (its exits, its marks) moving a NORMAL account into SOFT_DERISK by its drawdown: no adds on it
        // (its symbol has a position: only a position's marks or exits move the drawdown) — unless the tick trips the
        // kill switch or enters HARD_DERISK, which cancel every entry below
        if (entering && "NORMAL".equals(judged) && rules.softDrawdownPct > 0 && positions.containsKey(t.symbol())) {
            boolean hardThen = rules.hardDrawdownPct > 0 && withoutDrawdown >= rules.hardDrawdownPct;
            if (without < rules.dailyLossPct && !hardThen && withoutDrawdown >= rules.softDrawdownPct) {
                for (OrderFilled f : now) {
                    if (f.purpose() == OrderFilled.Purpose.ENTRY) {
                        cancelled(entryOrders.get(f), "the account enters SOFT_DERISK on the fill's tick (drawdown "
                                + percent(withoutDrawdown) + "% >= " + percent(rules.softDrawdownPct) + "%): no adds",
                                "entry_cancelled_soft_derisk_add", t);
                    }
                }
                now = new ArrayList<>(others);
                entering = false;
            }
        }
        // no entry fills on the tick that trips the kill switch: booked on a copy without this tick's entries, and with
        // them (their own fee and slippage may take the day's loss to the limit), the day's loss of marked equity at
        // the limit cancels them; the rest is booked, and the kill switch trips only in the first case
        if (entering) {
            boolean hardNow = !"HARD_DERISK".equals(deRisk) && rules.hardDrawdownPct > 0;
            if (without >= rules.dailyLossPct || (hardNow && withoutDrawdown >= rules.hardDrawdownPct)) {
                // the tick trips the kill switch, or enters HARD_DERISK, on its own: none of its entries fills
                String reason = without >= rules.dailyLossPct ? "entry_cancelled_kill_switch_trip" : "entry_cancelled_hard_derisk_entry";
                String why = without >= rules.dailyLossPct
                        ? "the kill switch trips on the fill's tick (daily loss " + percent(without) + "% of marked equity >= "
                                + percent(rules.dailyLossPct) + "% limit)"
                        : "the account enters HARD_DERISK on the fill's tick (drawdown " + percent(withoutDrawdown) + "% >= "
                                + percent(rules.hardDrawdownPct) + "%)";
                for (OrderFilled f : now) {
                    if (f.purpose() == OrderFilled.Purpose.ENTRY) {
                        cancelled(entryOrders.get(f), why, reason, t);
                        entriesCancelledOnTrip++;
                    }
                }
                now = new ArrayList<>(others);
            } else {
                // else the entries one by one, in the order they fill: one whose fill (with the exits and the entries
                // kept so far) would take the day's loss to the limit is cancelled, the others fill
                List<OrderFilled> kept = new ArrayList<>();
                for (int i = 0; i < now.size(); i++) {
                    OrderFilled f = now.get(i);
                    if (f.purpose() != OrderFilled.Purpose.ENTRY) {
                        kept.add(f);
                        continue;
                    }
                    List<OrderFilled> trial = new ArrayList<>(kept);
                    trial.add(f);
                    for (OrderFilled later : now.subList(i + 1, now.size())) {
                        if (later.purpose() != OrderFilled.Purpose.ENTRY) {
                            trial.add(later);
                        }
                    }
                    double with = lossIfBooked(trial, t);
                    if (with >= rules.dailyLossPct) {
                        cancelled(entryOrders.get(f), "the fill would trip the kill switch (daily loss " + percent(with)
                                + "% of marked equity >= " + percent(rules.dailyLossPct) + "% limit with it)",
                                "entry_cancelled_kill_switch_trip", t);
                        entriesCancelledOnTrip++;
                    } else {
                        kept.add(f);
                    }
                }
                now = kept;
            }
        }
        for (OrderFilled f : now) {
            if (f.purpose() == OrderFilled.Purpose.ENTRY) {
                entryResizes.get(f).forEach(reason -> count("paper-venue", reason));
            }
        }
        fills.addAll(now);
        book(now, t);
        if (peakOnMarks) {
            peak = Math.max(peak, marked());
        }
        if (lossPct(marked(), dayStart) >= rules.dailyLossPct && !kill) {
            kill = true;
            killSwitches++;
            killSwitchTimes.add(t.timestamp());
            // the trip cancels every entry order still waiting for its fill, whatever its symbol (exits stay)
            String why = "the kill switch tripped (daily loss " + percent(lossPct(marked(), dayStart))
                    + "% of marked equity >= " + percent(rules.dailyLossPct) + "% limit)";
            cancelledAtTrip.addAll(cancelEntries(why, "entry_cancelled_kill_switch_trip", t.timestamp()));
        }
        double dd = drawdownPct();
        String state = stateAt(t.timestamp(), dd);
        if (!state.equals(deRisk)) {
            deRiskChanges.add(deRisk + " -> " + state);
            deRiskTimeline.add(t.timestamp() + " " + deRisk + " -> " + state);
            deRisk = state;
            if (state.equals("HARD_DERISK")) {
                // no new entries: those still waiting for their fill go too, of every symbol (exits stay); entering it,
                // the drawdown is at or above the threshold itself (the hysteresis only holds an account already in it)
                cancelEntries("the account entered HARD_DERISK (drawdown " + percent(dd) + "% >= "
                        + percent(rules.hardDrawdownPct) + "%)", "entry_cancelled_hard_derisk_entry", t.timestamp());
            }
        }
    }

    /**
     * @return the state signals and fills are judged in at {@code at} (epoch ms): the stored one, but SOFT_DERISK for
     *         a NORMAL account when a spike is known then (leaving a state waits for the next tick's bookkeeping)
     */
    private String judgedAt(long at) {
        return "NORMAL".equals(deRisk) && rules.softOnSpike && spikes(at) > 0 ? "SOFT_DERISK" : deRisk;
    }

    /** @return the symbols in a volatility spike at {@code at}, epoch ms */
    private long spikes(long at) {
        // a symbol's CHAOTIC regime is a spike for spikeStaleCandles candles after the candle it classified: a symbol
        // that stopped printing keeps its last regime, and must not hold the account in SOFT_DERISK for ever
        return regimes.values().stream().filter(r -> r.name.equals("CHAOTIC")
                && at - r.candleEnd <= (long) rules.spikeStaleCandles * candleMs).count();
    }

    /**
     * @param at          epoch ms: the regimes known then count
     * @param drawdownPct the drawdown to judge, percent
     * @return the de-risk state the account, in {@code deRisk} now, is in for that drawdown and the spikes of {@code at}
     */
    private String stateAt(long at, double drawdownPct) {
        long chaotic = spikes(at);
        // hysteresis: HARD is kept down to its threshold less the margin; SOFT (or HARD) keeps SOFT down to the soft one less it
        double hardAt = rules.hardDrawdownPct - ("HARD_DERISK".equals(deRisk) ? rules.hysteresisPct : 0);
        double softAt = rules.softDrawdownPct - ("NORMAL".equals(deRisk) ? 0 : rules.hysteresisPct);
        return rules.hardDrawdownPct > 0 && drawdownPct >= hardAt ? "HARD_DERISK"
                : (rules.softDrawdownPct > 0 && drawdownPct >= softAt) || (rules.softOnSpike && chaotic > 0) ? "SOFT_DERISK"
                : "NORMAL";
    }

    /** Books fills {@code now} of tick {@code t} into the positions and the account, and marks the tick's symbol. */
    private void book(List<OrderFilled> now, PriceTick t) {
        for (OrderFilled f : now) {
            Pos p = positions.get(f.symbol());
            if (f.purpose() == OrderFilled.Purpose.ENTRY) {
                if (p != null) {
                    double total = p.size + f.size();
                    p.entry = (p.entry * p.size + f.price() * f.size()) / total;
                    p.size = total;
                    p.fee += f.feeUsd();
                    gross += f.price() * f.size();
                    continue;   // the mark stays the last tick's until this tick's marking below
                }
                p = new Pos();
                p.id = f.positionId();
                p.symbol = f.symbol();
                p.direction = f.direction();
                p.size = f.size();
                p.entry = f.price();
                p.stop = f.stopLoss();
                p.target = f.takeProfit();
                p.fee = f.feeUsd();
                p.openedAt = f.filledAt();
                p.mark = f.price();
                positions.put(p.symbol, p);
                open++;
                gross += f.price() * f.size();
            } else if (p != null && f.size() < p.size - 5e-7) {
                // part of the position closed (hard de-risk's reduction): its share of the entry fee goes with it
                double share = f.size() / p.size;
                double entryFee = p.fee * share;
                double fees = entryFee + f.feeUsd();
                double pnl = Math.round(((f.price() - p.entry) * f.size() * (p.direction == Direction.LONG ? 1 : -1) - fees) * 100) / 100.0;
                equity += pnl;
                peak = Math.max(peak, equity);
                gross = Math.max(0, gross - p.entry * f.size());
                p.size -= f.size();
                p.fee -= entryFee;
                p.closing = false;
                p.realized += pnl;
                // a part: flagged, with what stays open and the position's P&L so far (a trade is counted at its last close)
                closed.add(new PositionClosed(p.id, "paper", p.symbol, p.direction, f.size(), p.entry, f.price(), pnl,
                        Math.round(fees * 100) / 100.0, f.filledAt() - p.openedAt, f.exitReason(), p.openedAt, f.filledAt(), equity,
                        true, p.size, Math.round(p.realized * 100) / 100.0));
            } else if (p != null) {
                positions.remove(p.symbol);
                double fees = p.fee + f.feeUsd();
                double pnl = Math.round((p.unrealized(f.price()) - fees) * 100) / 100.0;
                equity += pnl;
                peak = Math.max(peak, equity);   // the high-water mark rises with realized equity only
                open = Math.max(0, open - 1);
                gross = Math.max(0, gross - p.entry * p.size);
                closed.add(new PositionClosed(p.id, "paper", p.symbol, p.direction, p.size, p.entry, f.price(), pnl,
                        Math.round(fees * 100) / 100.0, f.filledAt() - p.openedAt, f.exitReason(), p.openedAt, f.filledAt(), equity,
                        false, 0.0, Math.round((p.realized + pnl) * 100) / 100.0));
            }
        }
        // mark to market: the symbol's position at this tick; the kill switch on the day's loss of marked equity, on any tick
        Pos ticked = positions.get(t.symbol());   // the tick's own symbol's position
        if (ticked != null) {
            ticked.mark = t.price();
        }
    }

    /**
     * @return the day's loss of marked equity, percent, were {@code now} booked at tick {@code t} (and the tick's symbol
     *         marked); the positions and the account are left as they were
     */
    /** The drawdown of marked equity, percent, of the last {@link #lossIfBooked} (its peak as booked, before the tick's marks). */
    private double lastDrawdownIfBooked;

    private double lossIfBooked(List<OrderFilled> now, PriceTick t) {
        Map<String, Pos> saved = new TreeMap<>();
        positions.forEach((k, p) -> saved.put(k, p.copy()));
        double savedEquity = equity;
        double savedPeak = peak;
        int savedOpen = open;
        double savedGross = gross;
        int savedClosed = closed.size();
        book(now, t);
        double loss = lossPct(marked(), dayStart);
        double m = marked();
        lastDrawdownIfBooked = peak > 0 && m < peak ? (peak - m) / peak * 100 : 0;
        positions.clear();
        positions.putAll(saved);
        equity = savedEquity;
        peak = savedPeak;
        open = savedOpen;
        gross = savedGross;
        closed.subList(savedClosed, closed.size()).clear();
        return loss;
    }

    /**
     * Records the cancellation of order {@code o} (already removed) at tick {@code t} by the venue, {@code cancelled:
     * <why>}, counted under {@code paper-venue|<reason>}.
     */
    private void cancelled(Order o, String why, String reason, PriceTick t) {
        rejected.add(new OrderRejected(o.id, o.requestId, o.symbol, o.direction, o.size, "cancelled: " + why, t.timestamp()));
        count("paper-venue", reason);
    }

    /**
     * Removes every pending entry order, in id order; each one's cancellation goes to {@link #rejected}, counted under
     * {@code position-state|<reason>}. @return their ids
     */
    private List<String> cancelEntries(String why, String reason, long at) {
        List<String> ids = new ArrayList<>();
        for (Order o : new ArrayList<>(orders.values())) {
            if (o.entry) {
                orders.remove(o.id);
                ids.add(o.id);
                rejected.add(new OrderRejected(o.id, o.requestId, o.symbol, o.direction, o.size, "cancelled: " + why, at));
                count("position-state", reason);
            }
        }
        return ids;
    }

    private void count(String node, String reason) {
        counted.merge(node + "|" + reason, 1L, Long::sum);
    }

    // ---- exits -----------------------------------------------------------------------------------------------------

    private void exits(PriceTick t, long index) {
        Pos p = positions.get(t.symbol());
        if (p == null || p.closing) {
            return;
        }
        viewDay(t.timestamp());
        boolean isLong = p.direction == Direction.LONG;
        Regime r = regimes.get(t.symbol());
        boolean fresh = r != null && r.candleEnd > p.openedAt;
        boolean inMarket = t.timestamp() >= p.openedAt;   // a late print from before the open moves no exit of it
        ExitReason reason = viewKill ? ExitReason.KILL_SWITCH
                : inMarket && (isLong ? t.price() <= p.stop : t.price() >= p.stop) ? ExitReason.STOP_LOSS
                : inMarket && (isLong ? t.price() >= p.target : t.price() <= p.target) ? ExitReason.TAKE_PROFIT
                : fresh && r.name.equals("CHAOTIC") ? ExitReason.VOLATILITY_EXIT
                : fresh && r.name.equals("RANGING") && r.confidence >= REGIME_EXIT ? ExitReason.REGIME_EXIT
                : t.timestamp() - p.openedAt >= (long) rules.maxHoldCandles * candleMs ? ExitReason.TIME_EXIT
                : null;
        double size = p.size;
        if (reason == null && "HARD_DERISK".equals(deRisk)) {
            size = reduction(p, t.price());
            reason = size > 0 ? ExitReason.DERISK_REDUCE : null;
        }
        if (reason != null) {
            p.closing = true;
            // a partial reduction: named by its tick and the size it reduces (unique also for two ticks of one ms)
            String id = size < p.size ? "exit-" + p.id + "@" + t.timestamp() + "/" + p.size : "exit-" + p.id;
            orders.put(id, new Order(id, null, p.id, p.symbol, p.direction, false, size, 0,
                    reason == ExitReason.TAKE_PROFIT ? p.target : 0, reason, index, 0, killSwitches, deRisk, Long.MIN_VALUE));
        }
    }

    /**
     * Hard de-risk reduces the book to the gross cap (docs/TRADING-PIPELINE.md "De-risk states"): the entry notional
     * above the cap, less what exit orders already close, is taken from the position that ticks ({@code p}), as much as
     * it holds, in whole 0.000001 units rounded up, all of it when less than half a unit would be left. The reduction's
     * own realized P&L moves realized equity and the cap with it, so it closes enough to be at the cap after its fill,
     * estimated at this tick's price with the venue's slippage, price rounding and fee (a loss: more than the excess; a gain: less), plus what the rounding of the booked P&amp;L may take off the cap.
     */
    private double reduction(Pos p, double price) {
        double closing = 0;
        double closingLoss = 0;   // the exits pending realize a loss too (estimated at their marks), which lowers the cap
        int fills = 1;            // this reduction's and the pending exits': each one's booked P&L is rounded
        for (Order o : orders.values()) {
            Pos q = positions.get(o.symbol);
            if (!o.entry && q != null) {
                double units = Math.min(o.size, q.size);
                closing += q.entry * units;
                fills++;
                // a take profit fills at its limit or better, never worse: counted at the limit (the least it gains);
                // a market exit at its position's mark less slippage
                double qFill = o.reason == ExitReason.TAKE_PROFIT ? o.target
                        : q.direction == Direction.LONG ? q.mark - q.mark * rules.slippageBps / 10_000
                        : q.mark + q.mark * rules.slippageBps / 10_000;
                closingLoss += units * exitLossPerUnit(q, qFill);
            }
        }
        double excess = gross - closing - (equity - closingLoss) * rules.capPct / 100;
        if (!(excess >= 0.01)) {
            return 0;   // P&L is booked in cents: under a cent over the cap is no excess
        }
        boolean isLong = p.direction == Direction.LONG;
        double exitFill = isLong ? price - price * rules.slippageBps / 10_000 : price + price * rules.slippageBps / 10_000;
        double lossPerUnit = exitLossPerUnit(p, exitFill);
        // closing q units: the gross falls by q x entry, the cap by capPct of q x lossPerUnit; sized for the excess plus
        // what rounding each booked P&L (to cents, half a cent; its fee to 0.0001, half of that) may take off the cap,
        // so that the book ends at or below the cap with the fills at the prices estimated
        double rounding = rules.capPct / 100 * (0.005 + 0.00005) * fills;
        double perUnit = p.entry - rules.capPct / 100 * lossPerUnit;
        double take = perUnit > 0 ? Math.min(p.entry * p.size, (excess + rounding) / perUnit * p.entry) : p.entry * p.size;
        double units = Math.ceil(take / p.entry * 1_000_000 - 1e-6) / 1_000_000;
        return units >= p.size - 5e-7 ? p.size : units;
    }

    /**
     * @return the loss a unit of {@code p} closed at {@code fill} (before the venue rounds the price it books; its fee is
     *         on this price) realizes: the booked price's distance from the entry, the unit's share of the entry fee,
     *         the exit fee; USD, negative for a gain
     */
    private double exitLossPerUnit(Pos p, double fill) {
        double booked = roundPrice(fill);
        return (p.direction == Direction.LONG ? p.entry - booked : booked - p.entry) + p.fee / p.size
                + fill * rules.feeBps / 10_000;
    }

    // ---- scenarios: one tick's rules on a book set by hand ------------------------------------------------------------

    /**
     * A scenario's book (tests of one tick's rules, which a replay of ticks reaches rarely or never, such as several
     * entries on one tick): a position as if it had filled earlier, counted in the account's open positions and gross
     * entry notional, marked at its entry price. The pipeline's tests put the same position in the {@code positions} store
     * and its notional in the account. Call between {@link #portfolioTick} calls, never with {@link #end()}.
     *
     * @param size       base currency
     * @param entry      average entry price, USD
     * @param entryFeeUsd the entry fee paid, USD (open: it counts against marked equity)
     * @return this reference
     */
    public IndependentReference holding(String positionId, String symbol, Direction direction, double size, double entry,
                                        double stop, double target, double entryFeeUsd, long openedAt) {
        Pos p = new Pos();
        p.id = positionId;
        p.symbol = symbol;
        p.direction = direction;
        p.size = size;
        p.entry = entry;
        p.stop = stop;
        p.target = target;
        p.fee = entryFeeUsd;
        p.openedAt = openedAt;
        p.mark = entry;
        positions.put(symbol, p);
        open++;
        gross += entry * size;
        return this;
    }

    /**
     * A scenario's pending entry order, as order entry places it after the last tick: it fills at its symbol's next tick
     * ({@link #portfolioTick}), judged there as any entry; placed with the account's kill switch activations and de-risk
     * state of now.
     *
     * @param reference the signal's price the kernel approved it at, USD
     * @return this reference
     */
    public IndependentReference pendingEntry(String orderId, String requestId, String positionId, String symbol,
                                             Direction direction, double size, double stop, double target, double reference) {
        orders.put(orderId, new Order(orderId, requestId, positionId, symbol, direction, true, size, stop, target, null,
                tickIndex, reference, killSwitches, deRisk, Long.MIN_VALUE));
        return this;
    }

    /**
     * A scenario's regime of {@code symbol}, as the regime detector classified the candle that ended at {@code candleEnd}
     * (epoch ms) before the next tick: it counts from that tick on (a CHAOTIC one as a volatility spike, and for the exits).
     *
     * @param name TRENDING, RANGING or CHAOTIC
     * @return this reference
     */
    public IndependentReference regime(String symbol, String name, long candleEnd) {
        regimes.put(symbol, new Regime(name, 1, 0, 0, candleEnd));
        return this;
    }

    /**
     * Runs the portfolio on one tick of a scenario, as {@link #end()} runs it on each tick: the venue (the tick's
     * symbol's orders placed before it), positions and account (marks, kill switch, de-risk state), then the exits.
     * No market data: no price band, no candles, no signals.
     */
    public void portfolioTick(PriceTick t) {
        lastPrice.put(t.symbol(), t.price());
        long index = ++tickIndex;
        venueAndPositions(t, index);
        exits(t, index);
    }

    /** @return the account's realized equity (starting equity plus realized P&amp;L), USD */
    public double realizedEquity() {
        return equity;
    }

    /** @return the account's gross entry notional of its open positions, USD */
    public double grossExposure() {
        return gross;
    }

    /** @return the account's de-risk state now */
    public String deRiskState() {
        return deRisk;
    }

    // ---- the account's UTC day ---------------------------------------------------------------------------------------

    private boolean viewKill;
    private double viewDayStart;

    /** The account as of {@code time}'s UTC day, without storing it: a later day starts fresh daily figures. */
    private void viewDay(long time) {
        long d = epochDay(time);
        boolean newDay = d > day;
        viewKill = newDay ? kill && !(rules.resetDaily && positions.isEmpty()) : kill;   // a day starting flat only
        viewDayStart = newDay ? marked() : dayStart;
    }

    /** Stores the account's day (position state does, on every tick). */
    private void storeDay(long time) {
        viewDay(time);
        long d = epochDay(time);
        if (d > day) {
            day = d;
            dayStart = viewDayStart;
            kill = viewKill;
        }
    }

    /** @return the loss from the day's starting marked equity to {@code markedNow}, percent of the start (0 when none) */
    private static double lossPct(double markedNow, double start) {
        return markedNow >= start || start <= 0 ? 0 : (start - markedNow) / start * 100;
    }

    /** @return realized equity plus every open position at its mark less its entry fees */
    private double marked() {
        if (limitsOnRealized) {
            return equity;
        }
        double m = equity;
        for (Pos p : positions.values()) {
            m += p.unrealized(p.mark) - p.fee;
        }
        return m;
    }

    /** @return the marked equity's drawdown from the highest realized equity, percent (0 at or above it) */
    private double drawdownPct() {
        double m = marked();
        return peak > 0 && m < peak ? (peak - m) / peak * 100 : 0;
    }

    private static long epochDay(long time) {
        return Math.floorDiv(time, 86_400_000L);
    }

    // ---- results -----------------------------------------------------------------------------------------------------

    /** @return realized P&amp;L per UTC day of the close, USD, rounded to cents */
    public Map<String, Double> dailyPnl() {
        end();
        Map<String, Double> out = new TreeMap<>();
        for (PositionClosed c : closed) {
            out.merge(LocalDate.ofEpochDay(epochDay(c.closedAt())).toString(), c.realizedPnl(), Double::sum);
        }
        out.replaceAll((d, v) -> Math.round(v * 100) / 100.0);
        return out;
    }

    /**
     * @return trades per UTC day: positions closed that day, a position closed in parts counted once, on the day of its
     *         last close; and of them, wins (positive P&amp;L over all its parts), as "trades/wins"
     */
    public Map<String, String> dailyTrades() {
        end();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Double> byPosition = new java.util.HashMap<>();
        for (PositionClosed c : closed) {
            double total = byPosition.merge(c.positionId(), c.realizedPnl(), Double::sum);
            long[] day = counts.computeIfAbsent(LocalDate.ofEpochDay(epochDay(c.closedAt())).toString(), d -> new long[2]);
            if (c.remainingSize() == 0) {
                day[0]++;
                day[1] += total > 0 ? 1 : 0;
                byPosition.remove(c.positionId());
            }
        }
        Map<String, String> out = new TreeMap<>();
        counts.forEach((d, n) -> out.put(d, n[0] + "/" + n[1]));
        return out;
    }

    /** @return the positions open now, marked at their symbol's last price */
    public List<Open> openPositions() {
        end();
        List<Open> out = new ArrayList<>();
        for (Pos p : positions.values()) {
            double mark = lastPrice.get(p.symbol);
            out.add(new Open(p.id, p.symbol, p.direction, p.size, p.entry, mark, p.unrealized(mark), p.fee));
        }
        return out;
    }

    /** @return the account's equity: starting equity, realized P&amp;L, open positions marked to market less their entry fees */
    public double markedEquity() {
        end();
        return equity + openPositions().stream().mapToDouble(o -> o.unrealizedUsd() - o.entryFeesUsd()).sum();
    }

    private static double micro(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** The regime's ATR as published: 6 decimals, or 6 significant digits below 0.1 (a sub-cent symbol's ATR). */
    private static double sixDigits(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        int decimals = 6;
        for (double a = Math.abs(v); a < 0.1 && decimals < 340; a *= 10) {
            decimals++;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    private static double floor6(double v) {
        return Math.floor(v * 1e6) / 1e6;
    }

    /** A fill price: to 0.0001, or to 5 significant digits below 1 (a price of 0.00004 is no 0). */
    private static double roundPrice(double v) {
        if (v >= 1) {
            return round4(v);
        }
        int decimals = 4 - (int) Math.floor(Math.log10(v));
        return new java.math.BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    /**
     * A percentage as the documented reasons print it: 4 significant digits, trailing zeros (and a trailing point)
     * dropped, no exponent ("0.45", "5", "62.5").
     */
    private static String percent(double v) {
        if (v == 0) {
            return "0";
        }
        int decimals = 3 - (int) Math.floor(Math.log10(Math.abs(v)));
        String text;
        if (decimals >= 0) {
            text = String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
        } else {
            double unit = Math.pow(10, -decimals);
            text = String.format(java.util.Locale.ROOT, "%.0f", Math.floor(Math.abs(v) / unit + 0.5) * unit * Math.signum(v));
        }
        if (text.contains(".")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }

    private static double round4(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
