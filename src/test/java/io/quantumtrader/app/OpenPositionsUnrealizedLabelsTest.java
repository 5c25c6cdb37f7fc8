package io.quantumtrader.app;

import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionUpdate;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The printed report's open positions and its equity line say which "unrealized" each is: a position's before its entry
 * fee, the equity line's net of entry fees. Found in review (2026-12-07): both said "unrealized", and one open SHORT of
 * 10 at 800 marked at 790 with an 8 USD entry fee printed "unrealized 100.00 USD" above "+92.00 unrealized".
 */
class OpenPositionsUnrealizedLabelsTest {

    @Test
    void eachUnrealizedFigureSaysWhetherEntryFeesAreIn() {
        long t = 1_385_337_600_000L;
        OrderFilled entry = new OrderFilled("fill-1", "req-1", "pos-1", "BTC-USD", Direction.SHORT, OrderFilled.Purpose.ENTRY,
                10, 800, 8.0, 0.4, t, 810, 780, null);
        PositionUpdate mark = new PositionUpdate("pos-1", "BTC-USD", Direction.SHORT, 10, 800, 790, 100, t + 60_000);
        ReplayPortfolio p = ReplayPortfolio.of(100_000, List.of(entry), List.of(mark), List.of());
        String printed = print(p);
        assertThat(printed).contains("unrealized 100.00 USD before its entry fee")
                .contains("+92.00 unrealized net of entry fees");
    }

    private static String print(ReplayPortfolio p) {
        ReplayReport report = new ReplayReport(1, 1, 0, 1, 0, 0, Map.of(), Map.of(), 0, 0, 1, 1, 1, true, Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0, 0, 0, Map.of(), 0, 0, Map.of(), Map.of(), 1,
                p.openPositions(), p.reconciliation(), List.of(), List.of("BTC-USD"), Map.of(), "1m", List.of(), 0, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
