package io.quantumtrader.trader.position;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionOpened;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.CapReduction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Books one tick's fills into the positions and the account, then marks the tick's symbol's position at the tick's price
 * and the account at its positions' marks: what position state does on every tick before it judges the kill switch and
 * the de-risk state. An entry opens a position, or adds to the symbol's open one (size summed, entry at the
 * size-weighted price); an exit closes it, or part of it (HARD_DERISK's reduction: its share of the entry fee, the rest
 * open under the same id). The paper venue runs it on a copy of the positions ({@link #copyOf}) to learn whether the
 * tick trips the kill switch before it lets an entry fill (an entry never fills on the tick that trips it). Plain Java.
 */
public final class Booking {

    private Booking() {
    }

    /** The positions being booked, one per symbol: a state store, or a copy in memory ({@link #copyOf}). */
    public interface Positions {
        /** @return the symbol's open position, or null */
        Position get(String symbol);

        /** Stores the symbol's position. */
        void put(String symbol, Position p);

        /** Removes the symbol's position. */
        void delete(String symbol);

        /** @return every open position */
        Collection<Position> all();
    }

    /**
     * @return the positions behind these four operations (a state store's, a map's): one adapter for every backing
     */
    public static Positions of(java.util.function.Function<String, Position> get,
                               java.util.function.BiConsumer<String, Position> put,
                               java.util.function.Consumer<String> delete,
                               java.util.function.Supplier<Collection<Position>> all) {
        return new Positions() {
            @Override
            public Position get(String symbol) {
                return get.apply(symbol);
            }

            @Override
            public void put(String symbol, Position p) {
                put.accept(symbol, p);
            }

            @Override
            public void delete(String symbol) {
                delete.accept(symbol);
            }

            @Override
            public Collection<Position> all() {
                return all.get();
            }
        };
    }

    /** @return a copy in memory of {@code positions} (symbol to position), which booking into leaves them as they are */
    public static Positions copyOf(Map<String, Position> positions) {
        Map<String, Position> copy = new HashMap<>(positions);
        return of(copy::get, copy::put, copy::remove, copy::values);
    }

    /**
     * What booking one tick did.
     *
     * @param account the account after the fills, marked ({@link Account#marked}) at its positions' marks
     * @param opened  the positions the entries opened (an add opens none)
     * @param closed  the positions, or parts of positions, the exits closed
     */
    public record Result(Account account, List<PositionOpened> opened, List<PositionClosed> closed) {
    }

    /**
     * @param a         the account as of the tick's day
     * @param positions the positions, changed in place
     * @param fills     the tick's fills, in the venue's order
     * @param tick      the tick (its own {@code symbol}'s position is marked at its price, USD)
     * @return the account after the fills and the marks, and the positions opened and closed
     */
    public static Result book(Account a, Positions positions, List<OrderFilled> fills, PriceTick tick) {
        List<PositionOpened> opened = new ArrayList<>();
        List<PositionClosed> closed = new ArrayList<>();
        for (OrderFilled f : fills) {
            if (f.purpose() == OrderFilled.Purpose.ENTRY) {
                Position held = positions.get(f.symbol());
                if (held != null) {   // an add (the risk kernel approved it in the same direction): merged, never replaced
                    positions.put(f.symbol(), held.add(f.size(), f.price(), f.feeUsd()));
                    a = a.added(f.price() * f.size());
                    continue;
                }
                Position p = new Position(f.positionId(), f.symbol(), f.direction(), f.size(), f.price(),
                        f.stopLoss(), f.takeProfit(), f.feeUsd(), f.filledAt(), false);
                positions.put(f.symbol(), p);
                a = a.opened(f.price() * f.size());
                opened.add(new PositionOpened(p.positionId(), p.symbol(), p.direction(), p.size(), p.entryPrice(),
                        p.stopLoss(), p.takeProfit(), p.entryFeeUsd(), p.openedAt()));
            } else {
                Position p = positions.get(f.symbol());
                if (p == null) {
                    continue;
                }
                if (f.size() < p.size() - CapReduction.SIZE_STEP / 2) {   // a partial close
                    double fraction = f.size() / p.size();
                    double entryFee = p.entryFeeUsd() * fraction;
                    double fees = entryFee + f.feeUsd();
                    double sign = p.direction() == Direction.LONG ? 1 : -1;
                    double pnl = Math.round(((f.price() - p.entryPrice()) * f.size() * sign - fees) * 100) / 100.0;
                    Position rest = p.reduced(f.size(), entryFee, pnl);
                    positions.put(f.symbol(), rest);
                    a = a.reduced(p.entryPrice() * f.size(), pnl, p.markedUsd() * fraction);
                    closed.add(new PositionClosed(p.positionId(), a.name(), p.symbol(), p.direction(), f.size(), p.entryPrice(),
                            f.price(), pnl, Math.round(fees * 100) / 100.0, f.filledAt() - p.openedAt(),
                            f.exitReason(), p.openedAt(), f.filledAt(), a.equityUsd(), true, rest.size(),
                            Math.round(rest.realizedUsd() * 100) / 100.0));
                    continue;
                }
                positions.delete(f.symbol());
                double fees = p.entryFeeUsd() + f.feeUsd();
                double pnl = Math.round((p.unrealized(f.price()) - fees) * 100) / 100.0;
                a = a.closed(p.entryPrice() * p.size(), pnl, p.markedUsd(), p.realizedUsd() + pnl);
                closed.add(new PositionClosed(p.positionId(), a.name(), p.symbol(), p.direction(), p.size(), p.entryPrice(),
                        f.price(), pnl, Math.round(fees * 100) / 100.0, f.filledAt() - p.openedAt(),
                        f.exitReason(), p.openedAt(), f.filledAt(), a.equityUsd(), false, 0.0,
                        Math.round((p.realizedUsd() + pnl) * 100) / 100.0));
            }
        }
        double mark = tick.price();
        String symbol = tick.symbol();   // the tick's own symbol, not the record key (found in review, 2026-12-06)
        Position ticked = symbol == null ? null : positions.get(symbol);
        if (ticked != null && ticked.markPrice() != mark) {
            positions.put(symbol, ticked.markedAt(mark));
        }
        double unrealized = 0;
        // summed in symbol order: the same figure, to the last bit, on the store and on a copy of it
        List<Position> open = new ArrayList<>(positions.all());
        open.sort(java.util.Comparator.comparing(Position::symbol));
        for (Position p : open) {
            unrealized += p.markedUsd();
        }
        return new Result(a.marked(unrealized), opened, closed);
    }
}
