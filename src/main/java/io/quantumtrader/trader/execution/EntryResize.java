package io.quantumtrader.trader.execution;

import io.quantumtrader.trader.events.Direction;

import java.util.List;

/**
 * An entry the paper venue filled at another size than the one approved: halved (the account entered SOFT_DERISK
 * since), re-sized to the approved loss after a gap, or cut to the gross exposure cap ({@code EntryAtFill}). Audited
 * ({@code FILL_RESIZED}): until 2026-12-07 only counted, and the audit log kept the approved size of an entry that
 * traded at another (found in review: on the README replay 77.980116 approved, 58.189151 filled).
 *
 * @param orderId      the entry order's id
 * @param requestId    the trade request that placed it
 * @param symbol       its symbol
 * @param direction    its direction
 * @param approvedSize the size the order carried (the sizer's), units of the instrument
 * @param filledSize   the size filled, units of the instrument
 * @param reasons      why, each a count reason of the venue ({@code entry_halved_soft_derisk}, {@code entry_resized_gap},
 *                     {@code entry_resized_gross_cap}), in the order applied
 * @param filledAt     the fill's time, epoch ms
 */
public record EntryResize(String orderId, String requestId, String symbol, Direction direction, double approvedSize,
                          double filledSize, List<String> reasons, long filledAt) {

    public EntryResize {
        reasons = List.copyOf(reasons);
    }

    /** @return the audit summary: {@code LONG approved 77.980116, filled 58.189151: entry_resized_gap} */
    public String summary() {
        return String.format("%s approved %.6f, filled %.6f: %s", direction, approvedSize, filledSize, String.join(", ", reasons));
    }
}
