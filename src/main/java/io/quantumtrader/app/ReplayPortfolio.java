package io.quantumtrader.app;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionUpdate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The portfolio at the end of a replay, from the pipeline's streams: positions still open (their last
 * {@code position.state.update}: the mark of their symbol's last tick), and a reconciliation of two independent
 * computations of the ending equity: starting equity + realized P&amp;L + unrealized P&amp;L (from the position
 * events) against cash + marked positions (from the fills alone).
 *
 * @param openPositions  positions open at the end, by symbol
 * @param reconciliation the two equities and their difference
 */
public record ReplayPortfolio(List<OpenPosition> openPositions, Reconciliation reconciliation) {

    /**
     * A position open at the end, marked to market.
     *
     * @param quantity      base-currency size
     * @param entry         size-weighted entry price, USD
     * @param mark          price of the symbol's last tick, USD
     * @param unrealizedPnl (mark − entry) × quantity × (+1 LONG / −1 SHORT), fees excluded, USD
     */
    public record OpenPosition(String symbol, String positionId, Direction direction, double quantity, double entry,
                               double mark, double unrealizedPnl) {
    }

    /**
     * @param startingEquityUsd  the account's starting equity, USD
     * @param realizedPnlUsd     sum of the closed positions' P&amp;L (after fees), USD
     * @param unrealizedPnlUsd   sum of the open positions' unrealized P&amp;L less their entry fees, USD
     * @param equityByPnlUsd     starting + realized + unrealized, USD
     * @param equityByCashUsd    starting equity + every fill's cash flow (price × size ± fee) + open quantities × mark, USD
     * @param differenceUsd      equityByPnl − equityByCash, USD
     * @param toleranceUsd       what rounding allows: half a cent per closed position (P&amp;L is booked in cents) + 1 cent
     * @param reconciled         |difference| ≤ tolerance
     */
    public record Reconciliation(double startingEquityUsd, double realizedPnlUsd, double unrealizedPnlUsd,
                                 double equityByPnlUsd, double equityByCashUsd, double differenceUsd, double toleranceUsd,
                                 boolean reconciled) {
    }

    /** @return open positions and the reconciliation of these streams' contents */
    public static ReplayPortfolio of(double startingEquity, List<OrderFilled> fills, List<PositionUpdate> updates,
                                     List<PositionClosed> closed) {
        // a position is open at the end when its symbol has an open quantity (an exit fill of part of it — HARD_DERISK's
        // reduction to the cap — leaves the rest open under the same position id); its latest update is its state
        Map<String, PositionUpdate> last = new LinkedHashMap<>();
        updates.forEach(u -> last.put(u.symbol(), u));
        Map<String, Double> openFees = new LinkedHashMap<>();
        Map<String, Double> openSize = new LinkedHashMap<>();
        double cash = 0;
        for (OrderFilled f : fills) {
            boolean buy = (f.direction() == Direction.LONG) == (f.purpose() == OrderFilled.Purpose.ENTRY);
            cash += (buy ? -1 : 1) * f.price() * f.size() - f.feeUsd();
            // entry fees of the symbol's open position: an add's fill carries its own order's position id but is
            // merged into the symbol's open position, so fees are kept per symbol until the exit fill
            if (f.purpose() == OrderFilled.Purpose.ENTRY) {
                openFees.merge(f.symbol(), f.feeUsd(), Double::sum);
                openSize.merge(f.symbol(), f.size(), Double::sum);
            } else {   // the entry fees leave with the quantity closed, pro rata
                double size = openSize.getOrDefault(f.symbol(), 0.0);
                double rest = size - f.size();
                if (rest > io.quantumtrader.trader.risk.CapReduction.SIZE_STEP / 2) {
                    openFees.computeIfPresent(f.symbol(), (s, fees) -> fees * rest / size);
                    openSize.put(f.symbol(), rest);
                } else {
                    openFees.remove(f.symbol());
                    openSize.remove(f.symbol());
                }
            }
        }
        List<OpenPosition> open = new ArrayList<>();
        double unrealized = 0;
        double marked = 0;
        for (PositionUpdate u : last.values()) {
            if (!openSize.containsKey(u.symbol())) {
                continue;
            }
            double sign = u.direction() == Direction.LONG ? 1 : -1;
            double pnl = (u.markPrice() - u.entryPrice()) * u.size() * sign;
            open.add(new OpenPosition(u.symbol(), u.positionId(), u.direction(), u.size(), round(u.entryPrice(), 4),
                    u.markPrice(), round(pnl, 2)));
            unrealized += pnl - openFees.getOrDefault(u.symbol(), 0.0);
            marked += sign * u.size() * u.markPrice();
        }
        open.sort(Comparator.comparing(OpenPosition::symbol));
        double realized = closed.stream().mapToDouble(PositionClosed::realizedPnl).sum();
        double byPnl = startingEquity + realized + unrealized;
        double byCash = startingEquity + cash + marked;
        double tolerance = 0.005 * closed.size() + 0.01;
        return new ReplayPortfolio(open, new Reconciliation(startingEquity, round(realized, 2), round(unrealized, 2),
                round(byPnl, 2), round(byCash, 2), round(byPnl - byCash, 4), round(tolerance, 4),
                Math.abs(byPnl - byCash) <= tolerance));
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
