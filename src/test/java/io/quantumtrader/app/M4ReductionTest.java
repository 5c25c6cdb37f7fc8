package io.quantumtrader.app;

import io.quantumtrader.trader.events.Candle;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link M4Reduction}: which points it keeps, and — rendered by XChart — that the price chart drawn from the kept points
 * looks like one drawn from every point (the reference below adds every candle itself).
 */
class M4ReductionTest {

    @Test
    void eachColumnKeepsItsFirstLastLowestAndHighestPointInTimeOrder() {
        // two columns over 0..7: times 0-3 in the first, 4-7 in the second; five points per column is more than four
        long[] t = {0, 1, 2, 3, 3, 4, 5, 6, 7, 7};
        double[] v = {5, 9, 1, 4, 6, 2, 2, 8, 3, 2};
        assertThat(M4Reduction.keep(t, v, 0, 7, 2)).containsExactly(0, 1, 2, 4, 5, 7, 9);
        // first = lowest in the second column (index 5, value 2; 6 and 9 equal it, the first is kept): no index twice
    }

    @Test
    void fewPointsAreAllKeptAndBadArgumentsAreRefused() {
        assertThat(M4Reduction.keep(new long[]{1, 2, 3}, new double[]{3, 1, 2}, 1, 3, 1)).containsExactly(0, 1, 2);
        assertThat(M4Reduction.keep(new long[0], new double[0], 0, 0, 10)).isEmpty();
        assertThatThrownBy(() -> M4Reduction.keep(new long[]{1}, new double[0], 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> M4Reduction.keep(new long[]{1}, new double[]{1}, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> M4Reduction.keep(new long[]{1}, new double[]{1}, 2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    static boolean far(int p, int q, int tol) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)) > tol) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aReducedPriceChartLooksLikeOneDrawnThroughEveryPoint() {
        // a week of 1-minute closes, a random walk: far more points than the chart is wide
        Random random = new Random(20131125);
        double price = 1_000;
        List<Candle> candles = new ArrayList<>();
        for (int i = 0; i < 10_080; i++) {
            price *= 1 + random.nextGaussian() * 0.002;
            candles.add(new Candle("BTC-USD", i * 60_000L, (i + 1) * 60_000L, price, price, price, price, 1, 1));
        }
        XYChart reduced = ReplayChart.priceChart(candles, "1m");
        XYChart full = ReplayChart.chart("BTC-USD close (1m candles)", ReplayChart.datePattern(candles));
        full.addSeries("close", candles.stream().map(c -> new Date(c.windowEnd())).toList(),
                candles.stream().map(Candle::close).toList()).setMarker(SeriesMarkers.NONE);

        assertThat(reduced.getSeriesMap().get("close").getXData().length).as("points drawn")
                .isLessThanOrEqualTo(4 * ReplayChart.WIDTH_PX).isLessThan(candles.size() / 2);
        BufferedImage a = BitmapEncoder.getBufferedImage(full);
        BufferedImage b = BitmapEncoder.getBufferedImage(reduced);
        // anti-aliasing blends the many overlapping segments of the full line a little darker: count only pixels whose
        // colour differs by more than half the scale in a channel (a missing peak or a shifted line differs fully)
        long differ = IntStream.range(0, a.getHeight()).mapToLong(y -> IntStream.range(0, a.getWidth())
                .filter(x -> far(a.getRGB(x, y), b.getRGB(x, y), 128)).count()).sum();
        long drawn = IntStream.range(0, a.getHeight()).mapToLong(y -> IntStream.range(0, a.getWidth())
                .filter(x -> a.getRGB(x, y) != 0xFFFFFFFF).count()).sum();
        assertThat(differ).as("pixels that differ, of %d not white", drawn).isLessThan(drawn / 100);
    }
}
