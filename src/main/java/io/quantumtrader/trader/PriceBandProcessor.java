package io.quantumtrader.trader;

import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RefusedTick;
import io.quantumtrader.trader.market.PriceBand;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The price band on the tick path ({@link PriceBand}), keyed by symbol: its state (reference price, held prints) is
 * the {@code price-band} store of the market-data task that owns the symbol's partition. Forwards one
 * {@link Verdict} per print decided: accepted prints (a held one released by its confirmation keeps its own trade time
 * as the record's timestamp, before the confirming print) and refused ones (timestamped by the print that decided, or
 * by the end of the hold for one refused unconfirmed).
 *
 * <p>A held print's hold ({@link PriceBand#holdMs}) runs out in trade time, decided by two punctuations:
 * <ul>
 *   <li>stream time ({@value #STREAM_TIME_INTERVAL_MS} ms): once the partition's stream time — any symbol's prints —
 *       is past a held print's deadline, it is refused unconfirmed. Stream time, not the clock, so that a replay gives
 *       the same refusals at any speed, as the band itself works in trade time; the symbol's own next print decides
 *       the same way ({@link PriceBand#apply});</li>
 *   <li>wall-clock time, the fallback when the partition's feed has gone quiet (its stream time stands still: the
 *       symbol was the last to print, or the market closed): once this task has processed no print for
 *       {@link PriceBand#holdMs} of wall-clock time, every print still held is refused unconfirmed. Without it the last
 *       print of a quiet feed stayed held for ever. A replay that stalls that long refuses its held prints too.</li>
 *   <li>the end of input (a replay's files read to the end): the stream-time punctuation runs once more, at
 *       {@code Long.MAX_VALUE} (the runtime's end-of-input punctuation), and refuses every print still held; until
 *       2026-12-06 a replay ended with its suspect last print in no stream, uncounted (found in review).</li>
 * </ul>
 * Either way the refusal is the same {@link RefusedTick} (refused at the held print's trade time + the hold).
 *
 * <p>Both punctuations return at once while no symbol of the task has held a print since the processor started (the
 * common case: on sparse trades the stream-time one is due at about every print): the processor keeps the symbols
 * that may hold one in memory, rebuilt from the store at {@link #init} (a restarted or moved task, whose store is
 * loaded anew with a new processor, knows what its store holds). The set only grows while the processor lives (a
 * symbol is added when a print of it is held; a scan never removes one): a scan's store writes may be undone with a
 * failed attempt while the set would not be, and a held print left out of it would wait for its symbol's next print
 * (found in review, 2026-12-06: the first version removed symbols after each scan). So the scans refuse the same
 * prints in the same order as scanning every time.
 *
 * <p>Every refusal is also counted by reason ({@link PriceBand#REASONS}) in the meter
 * {@code qt.streams.node.records.counted{node="price-band", reason}}, registered at 0 when the task starts.
 */
final class PriceBandProcessor implements Processor<String, PriceTick, String, PriceBandProcessor.Verdict> {

    /** How often stream time is checked for held prints whose hold ran out, ms of stream time. */
    static final long STREAM_TIME_INTERVAL_MS = 1_000;
    /** How often the wall clock is checked for a quiet feed, ms. */
    static final long WALL_CLOCK_INTERVAL_MS = 1_000;

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
    /**
     * The symbols whose state may hold a print: every one that does, and those that did since the last
     * {@link #earliestHeldTimestamp()}. Empty: nothing held, the punctuations have nothing to do.
     */
    private final Set<String> mayHold = new HashSet<>();
    /** Wall-clock time of the last print processed (or of the first check after start), epoch ms. */
    private long lastPrintWallMs = Long.MIN_VALUE;

    PriceBandProcessor(PriceBand band) {
        this.band = band;
    }

    @Override
    public void init(ProcessorContext<String, Verdict> c) {
        ctx = c;
        states = c.getStateStore("price-band");
        c.declareCounts(PriceBand.REASONS);
        if (band.enabled()) {
            states.all().forEach((symbol, state) -> {
                if (holds(state)) {
                    mayHold.add(symbol);
                }
            });
            c.schedule(Duration.ofMillis(STREAM_TIME_INTERVAL_MS), PunctuationType.STREAM_TIME, this::expire);
            c.schedule(Duration.ofMillis(WALL_CLOCK_INTERVAL_MS), PunctuationType.WALL_CLOCK_TIME, this::expireWhenQuiet);
        }
    }

    @Override
    public void process(Record<String, PriceTick> r) {
        if (!band.enabled()) {
            ctx.forward(r.withValue(new Verdict(r.value(), null)));
            return;
        }
        lastPrintWallMs = ctx.currentSystemTimeMs();
        PriceBand.Step step = band.apply(states.get(r.key()), r.value());
        states.put(r.key(), step.state());
        if (holds(step.state())) {
            mayHold.add(r.key());
        }
        for (RefusedTick refused : step.refused()) {
            ctx.count(refused.reason());
            ctx.forward(r.withValue(new Verdict(null, refused)));
        }
        for (PriceTick t : step.accepted()) {
            ctx.forward(t == r.value() ? r.withValue(new Verdict(t, null))
                    : r.withValue(new Verdict(t, null)).withTimestamp(t.timestamp()));
        }
    }

    /**
     * Refuses the held prints whose hold ran out by {@code streamTimeMs}: nothing to do while no symbol has held a
     * print, else a scan of every symbol's state.
     */
    private void expire(long streamTimeMs) {
        if (mayHold.isEmpty()) {
            return;
        }
        for (Map.Entry<String, PriceBand.State> e : states.all().entrySet()) {
            PriceBand.Step step = band.expire(e.getValue(), streamTimeMs);
            if (!step.refused().isEmpty()) {
                states.put(e.getKey(), step.state());
                for (RefusedTick refused : step.refused()) {
                    ctx.count(refused.reason());
                    ctx.forward(new Record<>(e.getKey(), new Verdict(null, refused), refused.refusedAt(), null, null));
                }
            }
        }
    }

    /**
     * The earliest trade time of a print held in any symbol's state (epoch ms), {@link Long#MAX_VALUE} when none: a
     * held print confirmed later is forwarded at its own trade time, so the market task's watermark stays below it
     * while it is held (else the portfolio's aligned inputs passed it, and its place in their event-time order
     * depended on batches and partition counts: review of 2026-12-06). A read of the symbols that may hold one.
     */
    @Override
    public long earliestHeldTimestamp() {
        long earliest = Long.MAX_VALUE;
        // asked for every record the candle windows take (they stay open below a held print): the symbols that no
        // longer hold leave the set, which grew with every symbol that ever held until 2026-12-07
        for (java.util.Iterator<String> it = mayHold.iterator(); it.hasNext(); ) {
            PriceBand.State state = states.get(it.next());
            if (holds(state)) {
                for (PriceTick t : state.held()) {
                    earliest = Math.min(earliest, t.timestamp());
                }
            } else {
                it.remove();
            }
        }
        return earliest;
    }

    private static boolean holds(PriceBand.State state) {
        return state != null && !state.held().isEmpty();
    }

    /** Refuses every held print once no print came for the hold, in wall-clock time ({@code nowMs}, epoch ms). */
    private void expireWhenQuiet(long nowMs) {
        if (lastPrintWallMs == Long.MIN_VALUE) {
            lastPrintWallMs = nowMs;
        } else if (nowMs - lastPrintWallMs >= band.holdMs()) {
            expire(Long.MAX_VALUE);
        }
    }
}
