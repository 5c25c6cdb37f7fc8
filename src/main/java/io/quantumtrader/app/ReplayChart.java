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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.TreeSet;

/**
 * The replay's charts (XChart): the close of every candle ({@code price.svg/.png}) and the equity curve — starting
 * equity plus realized P&amp;L of closed positions ({@code equity.svg/.png}). Titles name the replayed symbol(s); the
 * time axis is UTC and shows the year when the data spans more than a year.
 */
final class ReplayChart {

    private ReplayChart() {
    }

    /** @return the files written, for 1-minute candles */
    static List<Path> write(Path dir, List<Candle> candles, List<PositionClosed> closed, double startingEquity) throws IOException {
        return write(dir, candles, closed, startingEquity, "1m");
    }

    /**
     * @param candle the candle size as {@code --candle} takes it, e.g. {@code 1m}
     * @return the files written; the price chart has one series per symbol
     */
    static List<Path> write(Path dir, List<Candle> candles, List<PositionClosed> closed, double startingEquity, String candle)
            throws IOException {
        Files.createDirectories(dir);
        String symbols = symbols(candles);
        long span = candles.isEmpty() ? 0 : candles.get(candles.size() - 1).windowEnd() - candles.get(0).windowStart();
        String datePattern = datePattern(span);

        XYChart price = chart(symbols + " close (" + candle + " candles)", datePattern);
        java.util.Map<String, List<Candle>> bySymbol = new java.util.TreeMap<>();
        candles.forEach(c -> bySymbol.computeIfAbsent(c.symbol(), k -> new ArrayList<>()).add(c));
        bySymbol.forEach((symbol, cs) -> {
            List<Date> t = new ArrayList<>();
            List<Double> close = new ArrayList<>();
            cs.forEach(c -> {
                t.add(new Date(c.windowEnd()));
                close.add(c.close());
            });
            price.addSeries(bySymbol.size() == 1 ? "close" : symbol, t, close).setMarker(SeriesMarkers.NONE);
        });
        price.getStyler().setLegendVisible(bySymbol.size() > 1);

        XYChart equity = chart("Equity (realized P&L), " + symbols, datePattern);
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
        if (!candles.isEmpty() && candles.get(candles.size() - 1).windowEnd() > et.get(et.size() - 1).getTime()) {
            et.add(new Date(candles.get(candles.size() - 1).windowEnd()));   // flat to the end of the data
            ev.add(e);
        }
        if (!et.isEmpty()) {
            XYSeries s = equity.addSeries("equity", et, ev);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }

        Path svgPrice = dir.resolve("price");
        Path svgEquity = dir.resolve("equity");
        VectorGraphicsEncoder.saveVectorGraphic(price, svgPrice.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        VectorGraphicsEncoder.saveVectorGraphic(equity, svgEquity.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        BitmapEncoder.saveBitmap(price, svgPrice.toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(equity, svgEquity.toString(), BitmapEncoder.BitmapFormat.PNG);
        return List.of(dir.resolve("price.svg"), dir.resolve("price.png"), dir.resolve("equity.svg"), dir.resolve("equity.png"));
    }

    /** @return the distinct symbols of the candles, sorted and comma-separated; {@code (no candles)} when there are none */
    static String symbols(List<Candle> candles) {
        TreeSet<String> symbols = new TreeSet<>();
        candles.forEach(c -> symbols.add(c.symbol()));
        return symbols.isEmpty() ? "(no candles)" : String.join(", ", symbols);
    }

    /** @return the time axis' date pattern: with the year when the span exceeds a year, with the time of day within weeks */
    static String datePattern(long spanMillis) {
        if (spanMillis > Duration.ofDays(365).toMillis()) {
            return "yyyy-MM-dd";
        }
        if (spanMillis > Duration.ofDays(14).toMillis()) {
            return "MM-dd";
        }
        return "MM-dd HH:mm";
    }

    private static XYChart chart(String title, String datePattern) {
        XYChart chart = new XYChartBuilder().width(1200).height(400).title(title)
                .xAxisTitle("time (UTC)").yAxisTitle("USD").build();
        chart.getStyler().setDatePattern(datePattern);
        chart.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
        chart.getStyler().setLegendVisible(false);
        return chart;
    }
}
