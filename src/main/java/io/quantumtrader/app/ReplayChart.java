package io.quantumtrader.app;

import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.PositionClosed;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The replay's chart (XChart): the close of every candle, and the equity curve (starting equity plus realized P&amp;L
 * of closed positions), as {@code equity.svg} and {@code equity.png}.
 */
final class ReplayChart {

    private ReplayChart() {
    }

    /** @return the files written */
    static List<Path> write(Path dir, List<Candle> candles, List<PositionClosed> closed, double startingEquity) throws IOException {
        Files.createDirectories(dir);
        XYChart price = new XYChartBuilder().width(1200).height(400).title("BTC-USD close (1-minute candles)")
                .xAxisTitle("time (UTC)").yAxisTitle("USD").build();
        List<Date> t = new ArrayList<>();
        List<Double> close = new ArrayList<>();
        candles.forEach(c -> {
            t.add(new Date(c.windowEnd()));
            close.add(c.close());
        });
        if (!t.isEmpty()) {
            price.addSeries("close", t, close).setMarker(SeriesMarkers.NONE);
        }
        price.getStyler().setDatePattern("MM-dd HH:mm");
        price.getStyler().setLegendVisible(false);

        XYChart equity = new XYChartBuilder().width(1200).height(400).title("Equity (realized P&L)")
                .xAxisTitle("time (UTC)").yAxisTitle("USD").build();
        List<Date> et = new ArrayList<>();
        List<Double> ev = new ArrayList<>();
        double e = startingEquity;
        if (!candles.isEmpty()) {
            et.add(new Date(candles.get(0).windowStart()));
            ev.add(e);
        }
        for (PositionClosed c : closed) {
            e += c.realizedPnl();
            et.add(new Date(c.closedAt()));
            ev.add(e);
        }
        if (!et.isEmpty()) {
            XYSeries s = equity.addSeries("equity", et, ev);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }
        equity.getStyler().setDatePattern("MM-dd HH:mm");
        equity.getStyler().setLegendVisible(false);

        Path svgPrice = dir.resolve("price");
        Path svgEquity = dir.resolve("equity");
        VectorGraphicsEncoder.saveVectorGraphic(price, svgPrice.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        VectorGraphicsEncoder.saveVectorGraphic(equity, svgEquity.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(price, svgPrice.toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(equity, svgEquity.toString(), BitmapEncoder.BitmapFormat.PNG);
        return List.of(dir.resolve("price.svg"), dir.resolve("price.png"), dir.resolve("equity.svg"), dir.resolve("equity.png"));
    }
}
