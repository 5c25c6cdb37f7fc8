package io.quantumtrader.app;

import java.util.Arrays;

/**
 * Which points of a time series a line chart needs: M4 aggregation (Jugel, Jerzak, Hackenbroich, Markl, "M4: A
 * Visualization-Oriented Time Series Data Aggregation", PVLDB 7(10), 2014). The time range is cut into as many equal
 * columns as the chart has pixels across; in each column the first, last, lowest and highest point are kept, the rest
 * dropped. A line drawn through the kept points covers the same pixels as one drawn through all of them, so a chart's
 * cost and file size depend on its width, not on the length of the data.
 */
final class M4Reduction {

    private M4Reduction() {
    }

    /**
     * @param times   the points' times, ascending (e.g. epoch ms)
     * @param values  the points' values, as many as {@code times}
     * @param from    the left edge of the time axis, at most {@code times[0]}
     * @param to      the right edge of the time axis, at least the last time
     * @param columns columns across the time axis (the chart's width in pixels), at least 1
     * @return the indexes of the points to draw, ascending; every index when there are no more points than four per
     *         column
     * @throws IllegalArgumentException when the arrays differ in length, {@code columns} is below 1 or
     *                                  {@code to < from}
     */
    static int[] keep(long[] times, double[] values, long from, long to, int columns) {
        if (times.length != values.length || columns < 1 || to < from) {
            throw new IllegalArgumentException("times " + times.length + ", values " + values.length + ", columns "
                    + columns + ", axis " + from + ".." + to);
        }
        int n = times.length;
        if (n <= 4L * columns) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] kept = new int[4 * columns];
        int size = 0;
        double span = (double) (to - from) + 1;
        int start = 0;
        while (start < n) {
            int column = column(times[start], from, span, columns);
            int end = start;
            int min = start;
            int max = start;
            while (end + 1 < n && column(times[end + 1], from, span, columns) == column) {
                end++;
                if (values[end] < values[min]) {
                    min = end;
                }
                if (values[end] > values[max]) {
                    max = end;
                }
            }
            int[] four = {start, min, max, end};
            Arrays.sort(four);
            for (int i = 0; i < four.length; i++) {
                if (i == 0 || four[i] != four[i - 1]) {
                    kept[size++] = four[i];
                }
            }
            start = end + 1;
        }
        return Arrays.copyOf(kept, size);
    }

    private static int column(long time, long from, double span, int columns) {
        return (int) Math.max(0, Math.min(columns - 1, Math.floor((time - from) / span * columns)));
    }
}
