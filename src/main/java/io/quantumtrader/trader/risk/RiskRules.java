package io.quantumtrader.trader.risk;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;

/**
 * The risk kernel's rules (percentages are percent, not fractions), read from YAML ({@code risk-rules.yaml},
 * kebab-case keys), every rule given but the {@link #OPTIONAL} ones ({@link #load}); {@link #defaults()} are the seed's.
 *
 * @param startingEquityUsd   paper account equity at start, USD (&gt; 0)
 * @param riskPerTradePct     loss at the stop a trade may risk, percent of equity (seed catalog: 1 %; &gt; 0, &le; 100)
 * @param dailyLossLimitPct   the day's loss of marked equity (realized and open positions at their marks) that trips the
 *                            kill switch, percent of the day's starting marked equity (seed §5: 5 %; &gt; 0, &le; 100:
 *                            the kill switch cannot be off)
 * @param maxDrawdownPct      drawdown of marked equity from the peak of realized equity beyond which nothing new is
 *                            approved, percent (&gt; 0, &le; 100)
 * @param maxOpenPositions    open positions at most (symbols with a position or a pending entry; an add is not a new
 *                            one; &ge; 1)
 * @param grossExposureCapPct gross entry notional of open positions plus pending entry orders at most, percent of
 *                            realized equity (seed quant_engine: 130 %; &gt; 0, &le; 1,000)
 * @param minEdgeScore        signals with a lower edge score are vetoed (0 to 100)
 * @param killSwitchResetsDaily when true the kill switch is reset at the next UTC day (a replay's stand-in for the
 *                            operator's morning reset); false (the default): only a human reset clears it (seed §5)
 * @param allowAdds           whether an approved signal in the direction of an open position adds to it (NORMAL
 *                            de-risk state only); false: refused ("a position in X is open")
 * @param softDeriskDrawdownPct drawdown of marked equity from the peak of realized equity at which the account enters
 *                            SOFT_DERISK, percent (0: never; &le; 100)
 * @param hardDeriskDrawdownPct drawdown of marked equity from the peak of realized equity at which the account enters
 *                            HARD_DERISK, percent (0: never; &le; 100)
 * @param softDeriskOnVolatilitySpike whether a symbol in a volatility spike (CHAOTIC) puts the account in SOFT_DERISK
 * @param deriskHysteresisPct how far below its entry threshold the drawdown must fall to leave HARD_DERISK or a
 *                            drawdown's SOFT_DERISK, percentage points of drawdown (default 0.5; 0: no hysteresis;
 *                            below each threshold that is not 0; {@link DeRisk})
 * @param priceBandPct        the price band against erroneous ("fat-finger") prints, percent: a tick further than this
 *                            from its symbol's last accepted price (within a minute of it; the band widens with the
 *                            square root of the minutes since, up to {@code priceBandMaxWidening} times, 16 by
 *                            default) is held as suspect until the next print(s) confirm it,
 *                            refused ({@code market.tick.refused}, reason {@code price_band}) otherwise
 *                            ({@link io.quantumtrader.trader.market.PriceBand}; default 10; 0: off)
 * @param priceBandConfirmations how many following prints of the symbol within the band of a suspect print, at a later
 *                            trade time than it, accept it as the new level (default 1, at least 1); on prints further
 *                            apart than the hold, the prints within the band of a level refused unconfirmed, each later
 *                            than the one before, the N-th accepted ({@link io.quantumtrader.trader.market.PriceBand})
 * @param priceBandHoldSeconds how long a suspect print waits for the prints that decide it, seconds of trade time; then
 *                            it is refused ({@code market.tick.refused}, reason {@code price_band_unconfirmed})
 *                            (default 300, at least 1; {@link io.quantumtrader.trader.market.PriceBand#DEFAULT_HOLD_MS})
 * @param priceBandMaxWidening the most the price band widens with the time since the reference print, times
 *                            {@code priceBandPct} in log terms (optional key {@code price-band-max-widening}, default
 *                            16: {@link io.quantumtrader.trader.market.PriceBand#DEFAULT_MAX_WIDENING}; at least 1: no
 *                            widening; at most 100)
 * @param entryGapTolerancePct how far the loss at the stop from a pending entry's fill price may exceed the loss the
 *                            kernel approved from the signal's price before the entry is re-sized to the approved loss,
 *                            percent of that loss (optional key {@code entry-gap-tolerance-pct}, default 10:
 *                            {@link EntryAtFill#DEFAULT_GAP_TOLERANCE_PCT}; 0: re-size every fill beyond the approved
 *                            loss; at most 100)
 * @param volatilitySpikeStaleCandles how long a symbol's CHAOTIC regime counts as a volatility spike for
 *                            {@code softDeriskOnVolatilitySpike}: while the tick's event time is at most this many
 *                            candles after the end of the candle classified CHAOTIC (optional key
 *                            {@code volatility-spike-stale-candles}, default {@value #DEFAULT_SPIKE_STALE_CANDLES}: an
 *                            hour of 1-minute candles; at least 1). A symbol that stops printing (halted, its market
 *                            closed) keeps its last regime for ever; counting it without a bound held the whole
 *                            account in SOFT_DERISK until that symbol printed again (found in review, 2026-12-06)
 * @param pendingEntryExpiryCandles how long a pending entry order waits for its symbol's next print: an entry not filled
 *                            when a tick's event time (any symbol's) is this many candles after the event time of the
 *                            request that placed it is cancelled ({@code trades.order.rejected}, counted
 *                            {@code entry_cancelled_expired}; optional key {@code pending-entry-expiry-candles},
 *                            default {@value #DEFAULT_PENDING_ENTRY_EXPIRY_CANDLES}; at least 1). Without it an entry
 *                            of a symbol that never printed again (halted, delisted) counted toward the exposure and
 *                            {@code maxOpenPositions} for ever (found in review, 2026-12-07)
 * @param maxHoldCandles      the time exit: a position still open when a tick of its symbol is this many candles after
 *                            its open is closed ({@code TIME_EXIT}; optional key {@code max-hold-candles}, default
 *                            {@value #DEFAULT_MAX_HOLD_CANDLES}: 4 hours of 1-minute candles, the seed's fixed 4-hour
 *                            hold; at least 1). Until 2026-12-07 the hold was 4 hours whatever the candle size, so on
 *                            daily bars every position was closed at the first bar after its open (found in review)
 */
public record RiskRules(double startingEquityUsd, double riskPerTradePct, double dailyLossLimitPct, double maxDrawdownPct,
                        int maxOpenPositions, double grossExposureCapPct, double minEdgeScore, boolean killSwitchResetsDaily,
                        boolean allowAdds, double softDeriskDrawdownPct, double hardDeriskDrawdownPct,
                        boolean softDeriskOnVolatilitySpike, double deriskHysteresisPct, double priceBandPct,
                        int priceBandConfirmations, long priceBandHoldSeconds, double priceBandMaxWidening,
                        double entryGapTolerancePct, int volatilitySpikeStaleCandles, int pendingEntryExpiryCandles,
                        int maxHoldCandles) {

    /** Default of {@link #maxHoldCandles}: 240 candles, the 4 hours of the default 1-minute candles. */
    public static final int DEFAULT_MAX_HOLD_CANDLES = 240;

    /**
     * Default of {@link #pendingEntryExpiryCandles}: 60 candles, an hour of the default 1-minute candles (the same
     * horizon as a volatility spike's).
     */
    public static final int DEFAULT_PENDING_ENTRY_EXPIRY_CANDLES = 60;

    /** Default of {@link #volatilitySpikeStaleCandles}: 60 candles, an hour of the default 1-minute candles. */
    public static final int DEFAULT_SPIKE_STALE_CANDLES = 60;

    /**
     * Checks every rule's range (found in review, 2026-12-06: only the price band's were checked, so {@code .inf},
     * {@code .nan} or a negative percent was accepted — an infinite exposure cap removed the cap — and a daily loss
     * limit of 0 tripped the kill switch on the first tick while a de-risk threshold of 0 meant "never").
     * <b>0 means off only where a rule says so</b> (the de-risk thresholds, the hysteresis, the price band); the
     * account's limits — risk per trade, daily loss, drawdown, exposure cap — cannot be switched off and refuse 0.
     *
     * @throws IllegalArgumentException naming the first rule out of its range, its allowed range and its value
     */
    public RiskRules {
        check(startingEquityUsd > 0 && startingEquityUsd < Double.POSITIVE_INFINITY, "starting-equity-usd",
                "a finite amount > 0 USD", startingEquityUsd);
        check(riskPerTradePct > 0 && riskPerTradePct <= 100, "risk-per-trade-pct", "a percent > 0 and <= 100", riskPerTradePct);
        check(dailyLossLimitPct > 0 && dailyLossLimitPct <= 100, "daily-loss-limit-pct",
                "a percent > 0 and <= 100 (the kill switch cannot be off: 0 would trip it on the first tick)", dailyLossLimitPct);
        check(maxDrawdownPct > 0 && maxDrawdownPct <= 100, "max-drawdown-pct",
                "a percent > 0 and <= 100 (0 would veto every signal)", maxDrawdownPct);
        check(maxOpenPositions >= 1, "max-open-positions", "at least 1", maxOpenPositions);
        check(grossExposureCapPct > 0 && grossExposureCapPct <= 1_000, "gross-exposure-cap-pct",
                "a percent of equity > 0 and <= 1000 (10x leverage)", grossExposureCapPct);
        check(minEdgeScore >= 0 && minEdgeScore <= 100, "min-edge-score", "0 to 100", minEdgeScore);
        check(softDeriskDrawdownPct >= 0 && softDeriskDrawdownPct <= 100, "soft-derisk-drawdown-pct",
                "0 (never) or a percent <= 100", softDeriskDrawdownPct);
        check(hardDeriskDrawdownPct >= 0 && hardDeriskDrawdownPct <= 100, "hard-derisk-drawdown-pct",
                "0 (never) or a percent <= 100", hardDeriskDrawdownPct);
        check(deriskHysteresisPct >= 0 && deriskHysteresisPct < 100, "derisk-hysteresis-pct",
                "0 (none) or percentage points < 100", deriskHysteresisPct);
        // at or above a threshold the state's exit is at a drawdown <= 0: never left, not even at a new high, and a
        // kill-switch reset's re-base could not help (review 2026-12-07)
        check(softDeriskDrawdownPct == 0 || deriskHysteresisPct < softDeriskDrawdownPct, "derisk-hysteresis-pct",
                "below soft-derisk-drawdown-pct (" + softDeriskDrawdownPct + "), or a drawdown's SOFT_DERISK is never left",
                deriskHysteresisPct);
        check(hardDeriskDrawdownPct == 0 || deriskHysteresisPct < hardDeriskDrawdownPct, "derisk-hysteresis-pct",
                "below hard-derisk-drawdown-pct (" + hardDeriskDrawdownPct + "), or HARD_DERISK is never left",
                deriskHysteresisPct);
        check(priceBandPct >= 0 && priceBandPct < Double.POSITIVE_INFINITY, "price-band-pct",
                "0 (off) or a finite percent > 0", priceBandPct);
        check(priceBandConfirmations >= 1, "price-band-confirmations", "at least 1", priceBandConfirmations);
        check(priceBandHoldSeconds >= 1, "price-band-hold-seconds", "at least 1", priceBandHoldSeconds);
        check(priceBandMaxWidening >= 1 && priceBandMaxWidening <= 100, "price-band-max-widening",
                "at least 1 (no widening) and at most 100 times the band", priceBandMaxWidening);
        check(entryGapTolerancePct >= 0 && entryGapTolerancePct <= 100, "entry-gap-tolerance-pct",
                "a percent >= 0 (re-size every fill beyond the approved loss) and <= 100", entryGapTolerancePct);
        check(volatilitySpikeStaleCandles >= 1, "volatility-spike-stale-candles", "at least 1 candle",
                volatilitySpikeStaleCandles);
        check(pendingEntryExpiryCandles >= 1, "pending-entry-expiry-candles", "at least 1 candle",
                pendingEntryExpiryCandles);
        check(maxHoldCandles >= 1, "max-hold-candles", "at least 1 candle", maxHoldCandles);
    }

    /** The rules with {@link #maxHoldCandles} at its default ({@value #DEFAULT_MAX_HOLD_CANDLES}). */
    public RiskRules(double startingEquityUsd, double riskPerTradePct, double dailyLossLimitPct, double maxDrawdownPct,
                     int maxOpenPositions, double grossExposureCapPct, double minEdgeScore, boolean killSwitchResetsDaily,
                     boolean allowAdds, double softDeriskDrawdownPct, double hardDeriskDrawdownPct,
                     boolean softDeriskOnVolatilitySpike, double deriskHysteresisPct, double priceBandPct,
                     int priceBandConfirmations, long priceBandHoldSeconds, double priceBandMaxWidening,
                     double entryGapTolerancePct, int volatilitySpikeStaleCandles, int pendingEntryExpiryCandles) {
        this(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions, grossExposureCapPct,
                minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct, hardDeriskDrawdownPct,
                softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations, priceBandHoldSeconds,
                priceBandMaxWidening, entryGapTolerancePct, volatilitySpikeStaleCandles, pendingEntryExpiryCandles,
                DEFAULT_MAX_HOLD_CANDLES);
    }

    /**
     * The rules with {@link #pendingEntryExpiryCandles} at its default ({@value #DEFAULT_PENDING_ENTRY_EXPIRY_CANDLES}).
     */
    public RiskRules(double startingEquityUsd, double riskPerTradePct, double dailyLossLimitPct, double maxDrawdownPct,
                     int maxOpenPositions, double grossExposureCapPct, double minEdgeScore, boolean killSwitchResetsDaily,
                     boolean allowAdds, double softDeriskDrawdownPct, double hardDeriskDrawdownPct,
                     boolean softDeriskOnVolatilitySpike, double deriskHysteresisPct, double priceBandPct,
                     int priceBandConfirmations, long priceBandHoldSeconds, double priceBandMaxWidening,
                     double entryGapTolerancePct, int volatilitySpikeStaleCandles) {
        this(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions, grossExposureCapPct,
                minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct, hardDeriskDrawdownPct,
                softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations, priceBandHoldSeconds,
                priceBandMaxWidening, entryGapTolerancePct, volatilitySpikeStaleCandles, DEFAULT_PENDING_ENTRY_EXPIRY_CANDLES);
    }

    /** The rules with {@link #volatilitySpikeStaleCandles} at its default ({@value #DEFAULT_SPIKE_STALE_CANDLES}). */
    public RiskRules(double startingEquityUsd, double riskPerTradePct, double dailyLossLimitPct, double maxDrawdownPct,
                     int maxOpenPositions, double grossExposureCapPct, double minEdgeScore, boolean killSwitchResetsDaily,
                     boolean allowAdds, double softDeriskDrawdownPct, double hardDeriskDrawdownPct,
                     boolean softDeriskOnVolatilitySpike, double deriskHysteresisPct, double priceBandPct,
                     int priceBandConfirmations, long priceBandHoldSeconds, double priceBandMaxWidening,
                     double entryGapTolerancePct) {
        this(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions, grossExposureCapPct,
                minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct, hardDeriskDrawdownPct,
                softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations, priceBandHoldSeconds,
                priceBandMaxWidening, entryGapTolerancePct, DEFAULT_SPIKE_STALE_CANDLES, DEFAULT_PENDING_ENTRY_EXPIRY_CANDLES);
    }

    /**
     * The rules a file may leave out, with the value they then take: rules added after files were written (an
     * existing file still loads, with the behaviour it had). Every other rule is required.
     */
    public static final java.util.Map<String, Number> OPTIONAL = java.util.Map.of(
            "price-band-max-widening", io.quantumtrader.trader.market.PriceBand.DEFAULT_MAX_WIDENING,
            "entry-gap-tolerance-pct", EntryAtFill.DEFAULT_GAP_TOLERANCE_PCT,
            "volatility-spike-stale-candles", DEFAULT_SPIKE_STALE_CANDLES,
            "pending-entry-expiry-candles", DEFAULT_PENDING_ENTRY_EXPIRY_CANDLES,
            "max-hold-candles", DEFAULT_MAX_HOLD_CANDLES);

    private static void check(boolean inRange, String rule, String range, Object value) {
        if (!inRange) {   // NaN fails every comparison, so it lands here too
            throw new IllegalArgumentException(rule + " must be " + range + ", was " + value);
        }
    }

    /**
     * @return 100,000 USD, 1 % per trade, 5 % daily loss, 10 % drawdown, 3 positions, 130 % gross, edge 20, human
     *         reset, adds allowed, soft de-risk at 3 % drawdown or a volatility spike, hard de-risk at 8 % drawdown,
     *         each left 0.5 percentage points below its threshold, a 10 % price band confirmed by one print within
     *         5 minutes and widening up to 16 times, entries re-sized at a fill risking more than 10 % above the
     *         approved loss
     */
    public static RiskRules defaults() {
        return new RiskRules(100_000, 1.0, 5.0, 10.0, 3, 130.0, 20, false, true, 3.0, 8.0, true, 0.5, 10.0, 1,
                io.quantumtrader.trader.market.PriceBand.DEFAULT_HOLD_MS / 1000,
                io.quantumtrader.trader.market.PriceBand.DEFAULT_MAX_WIDENING, EntryAtFill.DEFAULT_GAP_TOLERANCE_PCT);
    }

    /** @return the first eight rules as given, adds allowed and the de-risk rules of {@link #defaults()} */
    public static RiskRules of(double startingEquityUsd, double riskPerTradePct, double dailyLossLimitPct, double maxDrawdownPct,
                               int maxOpenPositions, double grossExposureCapPct, double minEdgeScore, boolean killSwitchResetsDaily) {
        RiskRules d = defaults();
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, d.allowAdds, d.softDeriskDrawdownPct,
                d.hardDeriskDrawdownPct, d.softDeriskOnVolatilitySpike, d.deriskHysteresisPct, d.priceBandPct, d.priceBandConfirmations,
                d.priceBandHoldSeconds, d.priceBandMaxWidening, d.entryGapTolerancePct);
    }

    /** @return these rules with the daily kill switch reset on or off */
    public RiskRules withKillSwitchResetsDaily(boolean reset) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, reset, allowAdds, softDeriskDrawdownPct, hardDeriskDrawdownPct,
                softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations, priceBandHoldSeconds,
                priceBandMaxWidening, entryGapTolerancePct, volatilitySpikeStaleCandles, pendingEntryExpiryCandles, maxHoldCandles);
    }

    /** @return these rules with the de-risk thresholds (percent of drawdown, 0: never) and the volatility rule; the hysteresis kept */
    public RiskRules withDerisk(double softDrawdownPct, double hardDrawdownPct, boolean onVolatilitySpike) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, allowAdds, softDrawdownPct, hardDrawdownPct,
                onVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations, priceBandHoldSeconds,
                priceBandMaxWidening, entryGapTolerancePct, volatilitySpikeStaleCandles, pendingEntryExpiryCandles, maxHoldCandles);
    }

    /** @return these rules with the de-risk hysteresis, percentage points of drawdown (0: none) */
    public RiskRules withDeriskHysteresis(double pct) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct,
                hardDeriskDrawdownPct, softDeriskOnVolatilitySpike, pct, priceBandPct, priceBandConfirmations, priceBandHoldSeconds,
                priceBandMaxWidening, entryGapTolerancePct, volatilitySpikeStaleCandles, pendingEntryExpiryCandles, maxHoldCandles);
    }

    /**
     * @param pct           the price band, percent (0: off)
     * @param confirmations following prints within the band of a suspect print that accept it (at least 1)
     * @return these rules with that price band
     */
    public RiskRules withPriceBand(double pct, int confirmations) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct,
                hardDeriskDrawdownPct, softDeriskOnVolatilitySpike, deriskHysteresisPct, pct, confirmations, priceBandHoldSeconds,
                priceBandMaxWidening, entryGapTolerancePct, volatilitySpikeStaleCandles, pendingEntryExpiryCandles, maxHoldCandles);
    }

    /** @return these rules with the price band's widening ceiling, times the band (at least 1) */
    public RiskRules withPriceBandMaxWidening(double times) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct,
                hardDeriskDrawdownPct, softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations,
                priceBandHoldSeconds, times, entryGapTolerancePct, volatilitySpikeStaleCandles, pendingEntryExpiryCandles, maxHoldCandles);
    }

    /** @return these rules with the entry gap tolerance, percent of the approved loss at the stop */
    public RiskRules withEntryGapTolerance(double pct) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct,
                hardDeriskDrawdownPct, softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations,
                priceBandHoldSeconds, priceBandMaxWidening, pct, volatilitySpikeStaleCandles, pendingEntryExpiryCandles, maxHoldCandles);
    }

    /** @return these rules with a CHAOTIC regime counting as a volatility spike for this many candles (at least 1) */
    public RiskRules withVolatilitySpikeStaleCandles(int candles) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct,
                hardDeriskDrawdownPct, softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations,
                priceBandHoldSeconds, priceBandMaxWidening, entryGapTolerancePct, candles, pendingEntryExpiryCandles, maxHoldCandles);
    }

    /** @return these rules with a pending entry order expiring this many candles after its placement (at least 1) */
    public RiskRules withPendingEntryExpiryCandles(int candles) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct,
                hardDeriskDrawdownPct, softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations,
                priceBandHoldSeconds, priceBandMaxWidening, entryGapTolerancePct, volatilitySpikeStaleCandles, candles, maxHoldCandles);
    }

    /** @return these rules with the time exit this many candles after a position's open (at least 1) */
    public RiskRules withMaxHoldCandles(int candles) {
        return new RiskRules(startingEquityUsd, riskPerTradePct, dailyLossLimitPct, maxDrawdownPct, maxOpenPositions,
                grossExposureCapPct, minEdgeScore, killSwitchResetsDaily, allowAdds, softDeriskDrawdownPct,
                hardDeriskDrawdownPct, softDeriskOnVolatilitySpike, deriskHysteresisPct, priceBandPct, priceBandConfirmations,
                priceBandHoldSeconds, priceBandMaxWidening, entryGapTolerancePct, volatilitySpikeStaleCandles,
                pendingEntryExpiryCandles, candles);
    }

    /** @return the price band these rules set (off when {@link #priceBandPct} is 0) */
    public io.quantumtrader.trader.market.PriceBand priceBand() {
        return new io.quantumtrader.trader.market.PriceBand(priceBandPct, priceBandConfirmations, priceBandHoldSeconds * 1000,
                priceBandMaxWidening);
    }

    /**
     * Reads the rules; a rule of {@link #OPTIONAL} left out takes its default.
     *
     * @throws IllegalArgumentException on unreadable YAML, a rule missing (every rule but the {@link #OPTIONAL} ones
     *                                  must be given: a risk limit is never silently 0), a key that is no rule (a
     *                                  typo), or a rule out of its range
     *                                  (a negative, infinite or NaN percent, a 0 limit that cannot be off), naming it
     *                                  and, for a range, the allowed one: {@code invalid risk rules: daily-loss-limit-pct
     *                                  must be a percent > 0 and <= 100 (…), was 0.0}
     */
    public static RiskRules load(InputStream yaml) {
        try {
            YAMLMapper mapper = YAMLMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                    .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                    .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();
            byte[] text = yaml.readAllBytes();
            tools.jackson.databind.JsonNode rules;
            try {
                rules = mapper.readTree(text);
            } catch (tools.jackson.core.JacksonException unreadable) {
                // a value the YAML parser refuses (.inf, .nan, a broken line): reading it as the rules names the rule
                return mapper.readValue(text, RiskRules.class);
            }
            if (rules instanceof tools.jackson.databind.node.ObjectNode given) {
                OPTIONAL.forEach((rule, value) -> {
                    if (!given.has(rule)) {
                        given.put(rule, value.doubleValue());
                    }
                });
            }
            return mapper.treeToValue(rules, RiskRules.class);
        } catch (tools.jackson.core.JacksonException e) {
            if (e.getCause() instanceof IllegalArgumentException range) {   // a rule out of its range (the constructor)
                throw new IllegalArgumentException("invalid risk rules: " + range.getMessage(), e);
            }
            String m = e.getOriginalMessage();
            java.util.regex.Matcher missing = java.util.regex.Pattern.compile("Missing creator property '([^']+)'").matcher(m);
            java.util.regex.Matcher unknown = java.util.regex.Pattern.compile("Unrecognized property [\"']([^\"']+)[\"']").matcher(m);
            String rule = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getPropertyName();
            throw new IllegalArgumentException("invalid risk rules: " + (missing.find() ? "rule '" + missing.group(1) + "' is missing"
                    : unknown.find() ? "'" + unknown.group(1) + "' is no rule"
                    : rule != null ? rule + ": " + m.split("\n")[0] : m), e);
        } catch (RuntimeException | java.io.IOException e) {
            throw new IllegalArgumentException("invalid risk rules: " + e.getMessage(), e);
        }
    }
}
