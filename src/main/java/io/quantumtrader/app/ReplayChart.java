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

    /** The charts' width, pixels. */
    static final int WIDTH_PX = 1200;

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
        String datePattern = datePattern(candles);

        XYChart price = priceChart(candles, candle);

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

    /**
     * @return the price chart: each symbol's candle closes at the candles' ends, reduced to the points its
     *         {@value #WIDTH_PX} pixels across can show ({@link M4Reduction}: the same line, a chart as large for a month
     *         of candles as for a day)
     */
    static XYChart priceChart(List<Candle> candles, String candle) {
        XYChart price = chart(symbols(candles) + " close (" + candle + " candles)", datePattern(candles));
        long from = candles.stream().mapToLong(Candle::windowEnd).min().orElse(0);
        long to = candles.stream().mapToLong(Candle::windowEnd).max().orElse(0);
        java.util.Map<String, List<Candle>> bySymbol = new java.util.TreeMap<>();
        candles.forEach(c -> bySymbol.computeIfAbsent(c.symbol(), k -> new ArrayList<>()).add(c));
        bySymbol.forEach((symbol, cs) -> {
            cs.sort(java.util.Comparator.comparingLong(Candle::windowEnd));   // M4 takes the times ascending
            long[] times = cs.stream().mapToLong(Candle::windowEnd).toArray();
            double[] closes = cs.stream().mapToDouble(Candle::close).toArray();
            List<Date> t = new ArrayList<>();
            List<Double> close = new ArrayList<>();
            for (int i : M4Reduction.keep(times, closes, from, to, WIDTH_PX)) {
                t.add(new Date(times[i]));
                close.add(closes[i]);
            }
            price.addSeries(bySymbol.size() == 1 ? "close" : symbol, t, close).setMarker(SeriesMarkers.NONE);
        });
        price.getStyler().setLegendVisible(bySymbol.size() > 1);
        return price;
    }

    /** @return the distinct symbols of the candles, sorted and comma-separated; {@code (no candles)} when there are none */
    static String symbols(List<Candle> candles) {
        TreeSet<String> symbols = new TreeSet<>();
        candles.forEach(c -> symbols.add(c.symbol()));
        return symbols.isEmpty() ? "(no candles)" : String.join(", ", symbols);
    }

    /** @return the time axis' date pattern for the span of the candles, first start to last end */
    static String datePattern(List<Candle> candles) {
        return datePattern(candles.isEmpty() ? 0 : candles.get(candles.size() - 1).windowEnd() - candles.get(0).windowStart());
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

    /** @return an empty chart, {@value #WIDTH_PX} × 400 pixels, UTC time axis with {@code datePattern} */
    static XYChart chart(String title, String datePattern) {
        XYChart chart = new XYChartBuilder().width(WIDTH_PX).height(400).title(title)
                .xAxisTitle("time (UTC)").yAxisTitle("USD").build();
        chart.getStyler().setDatePattern(datePattern);
        chart.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
        chart.getStyler().setLegendVisible(false);
        return chart;
    }
}
