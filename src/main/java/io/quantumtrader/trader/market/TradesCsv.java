package io.quantumtrader.trader.market;

import io.quantumtrader.trader.events.PriceTick;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads trades CSV files of the shape {@code timestamp,price,amount} (as Bitstamp's
 * {@code bitstamp_trades_from_20131125_usd.csv} shipped in {@code org.ta4j:ta4j-examples:0.15}) into ticks, keeping
 * each tick's line number. Nothing is dropped silently:
 * <ul>
 *   <li>a header (the first line that is not blank, none of whose fields is a number) is skipped; when it names the columns
 *       ({@code timestamp}/{@code time}, {@code price}, {@code amount}/{@code size}/{@code volume}) they are read in its
 *       order, among any others ({@link Columns}), and a {@code symbol} column gives each trade its symbol; a
 *       malformed line (an invalid symbol too) is reported with its
 *       line number and skipped (a first line with a number in it is a data line, malformed when damaged: one such as
 *       {@code x1385337600,800.01,0.1} was skipped as a header, review 2026-12-06);</li>
 *   <li>prices and amounts are plain decimal numbers ({@link DecimalField}): Java literals such as {@code 800.01f}
 *       or {@code 0x1.9p9} are malformed;</li>
 *   <li>the timestamp unit (epoch seconds, milliseconds, microseconds or nanoseconds) is that of most of the first
 *       {@value #UNIT_SAMPLE} data lines ({@link TimestampUnit}) and every timestamp converted to milliseconds; a line
 *       whose magnitude is of another unit is malformed;</li>
 *   <li>a file not in time order is sorted by timestamp (stable: equal timestamps keep file order) and the first line
 *       that was out of order is reported ({@link Result#outOfOrder()}), so no tick is lost as late.</li>
 * </ul>
 */
public final class TradesCsv {

    /** The bundled real data set: 100,000 BTC/USD trades, 2013-11-25 to 2013-12-01. */
    public static final String BITSTAMP_RESOURCE = "/bitstamp_trades_from_20131125_usd.csv";

    private TradesCsv() {
    }

    /**
     * A line that could not be read.
     *
     * @param lineNumber 1-based line number in the file
     * @param line       the raw line
     * @param reason     why it was rejected
     */
    public record Malformed(int lineNumber, String line, String reason) {
    }

    /**
     * One tick and where it came from.
     *
     * @param lineNumber 1-based line number in the file
     * @param tick       the tick (timestamp in epoch milliseconds)
     */
    public record Trade(int lineNumber, PriceTick tick) {
    }

    /**
     * The first line of the file whose timestamp is earlier than the line before it.
     *
     * @param lineNumber         that line
     * @param timestamp          its timestamp, epoch ms
     * @param previousLineNumber the data line before it
     * @param previousTimestamp  that line's timestamp, epoch ms
     * @param linesOutOfOrder    how many data lines are earlier than a line before them
     */
    public record OutOfOrder(int lineNumber, long timestamp, int previousLineNumber, long previousTimestamp, int linesOutOfOrder) {
    }

    /**
     * @param trades     the ticks in time order (file order when the file was sorted), with their line numbers
     * @param malformed  the rejected lines
     * @param header     whether a header line was skipped
     * @param unit       the timestamp unit of the file ({@link TimestampUnit#SECONDS} when it has no data line)
     * @param outOfOrder where the file left time order, null when it was sorted
     */
    public record Result(List<Trade> trades, List<Malformed> malformed, boolean header, TimestampUnit unit, OutOfOrder outOfOrder) {

        /** @return the ticks in time order */
        public List<PriceTick> ticks() {
            return trades.stream().map(Trade::tick).toList();
        }
    }

    /**
     * @param in     the CSV text (UTF-8); closed by the caller
     * @param symbol symbol given to every tick, e.g. {@code BTC-USD}; a file whose header names a {@code symbol} column
     *               gives each tick the symbol of its line instead
     * @throws UncheckedIOException     when the stream cannot be read
     * @throws IllegalArgumentException when its header names some of the timestamp, price and amount columns but not all
     */
    public static Result read(InputStream in, String symbol) {
        List<Trade> trades = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        boolean header = false;
        TimestampUnit unit = null;
        Columns cols = Columns.POSITIONAL;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(lines.isEmpty() && line.startsWith("\uFEFF") ? line.substring(1) : line);   // UTF-8 byte order mark
            }
            // the header, if any, is the first line that is not blank (a blank line before it made it "malformed line 2"
            // and every amount a price until 2026-12-07: found in review)
            int first = 0;
            while (first < lines.size() && lines.get(first).isBlank()) {
                first++;
            }
            if (first < lines.size()) {
                String[] f = fields(lines.get(first));
                if (java.util.Arrays.stream(f).noneMatch(DecimalField::isDecimal)) {
                    header = true;
                    cols = Columns.of(lines.get(first), f);
                    first++;
                }
            }
            unit = unitOf(lines, first, cols);
            for (int i = first; i < lines.size(); i++) {
                int n = i + 1;
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                String[] f = fields(line);
                if (f.length != cols.count()) {
                    malformed.add(new Malformed(n, line, "expected " + cols.count() + " fields " + cols.names() + ", found " + f.length));
                    continue;
                }
                try {
                    long raw = timestamp(f[cols.timestamp()]);
                    TimestampUnit lineUnit = TimestampUnit.detect(raw);
                    if (unit != null && lineUnit != unit) {
                        malformed.add(new Malformed(n, line, "timestamp " + raw + " looks like " + lineUnit.label()
                                + " but the file's timestamps are in " + unit.label() + " (most of its first "
                                + UNIT_SAMPLE + " lines)"));
                        continue;
                    }
                    long millis = (unit == null ? lineUnit : unit).toMillis(raw);
                    String lineSymbol = cols.symbol() >= 0 ? f[cols.symbol()].trim() : symbol;
                    if (cols.symbol() >= 0 && !PriceTick.isSymbol(lineSymbol)) {
                        throw new IllegalArgumentException("invalid symbol '" + lineSymbol + "' (1-32 characters of A-Z, 0-9, '.', "
                                + "'_', ':', '/', '-')");
                    }
                    trades.add(new Trade(n, new PriceTick(lineSymbol, DecimalField.parse(f[cols.price()], "price"), DecimalField.parse(f[cols.amount()], "amount"), millis)));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    malformed.add(new Malformed(n, line, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trades CSV", e);
        }
        OutOfOrder outOfOrder = outOfOrder(trades);
        if (outOfOrder != null) {
            trades.sort(Comparator.comparingLong(t -> t.tick().timestamp()));  // List.sort is stable
        }
        return new Result(List.copyOf(trades), List.copyOf(malformed), header, unit == null ? TimestampUnit.SECONDS : unit, outOfOrder);
    }

    /**
     * @param headerLine a file's first line that is not blank
     * @return whether it is a header naming a {@code symbol} column beside the timestamp, price and amount ones: each
     *         trade of the file is then of the symbol its line names
     */
    public static boolean hasSymbolColumn(String headerLine) {
        String[] f = fields(headerLine);
        if (java.util.Arrays.stream(f).anyMatch(DecimalField::isDecimal)) {
            return false;
        }
        try {
            return Columns.of(headerLine, f).symbol() >= 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Data lines whose timestamps decide a file's unit ({@link #unitOf}). */
    static final int UNIT_SAMPLE = 1_000;

    /**
     * @return the timestamp unit of most of the first {@value #UNIT_SAMPLE} data lines from {@code from} (of the right
     *         field count, with a positive whole timestamp; ties go to the unit seen first), null when none has one.
     *         Until 2026-12-07 the first line decided alone: one damaged first line (a millisecond timestamp cut to 8
     *         digits) made every well-formed line after it malformed, and the damaged line was the only tick (found in
     *         review)
     */
    private static TimestampUnit unitOf(List<String> lines, int from, Columns cols) {
        Map<TimestampUnit, Integer> votes = new java.util.LinkedHashMap<>();
        int seen = 0;
        for (int i = from; i < lines.size() && seen < UNIT_SAMPLE; i++) {
            String[] f = fields(lines.get(i));
            if (lines.get(i).isBlank() || f.length != cols.count()) {
                continue;
            }
            try {
                long raw = timestamp(f[cols.timestamp()]);
                if (raw > 0) {
                    votes.merge(TimestampUnit.detect(raw), 1, Integer::sum);
                    seen++;
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                // malformed: reported when the line is read
            }
        }
        TimestampUnit best = null;
        for (Map.Entry<TimestampUnit, Integer> v : votes.entrySet()) {
            if (best == null || v.getValue() > votes.get(best)) {
                best = v.getKey();
            }
        }
        return best;
    }

    /**
     * Where a file's timestamp, price and amount are: columns 0, 1, 2 of three without a header or with a header that
     * names none of them, else the columns its header names in any order, among any others ({@code amount,price,timestamp};
     * a header {@code timestamp,amount,price} was skipped and every amount read as a price, review 2026-12-07).
     *
     * @param timestamp column of the timestamp
     * @param price     column of the price
     * @param amount    column of the amount
     * @param count     fields per line
     * @param names     the columns for a malformed line's reason, e.g. {@code timestamp,price,amount}
     * @param symbol    column of each trade's symbol ({@code symbol} in the header), -1 when none: every trade is then
     *                  of the symbol {@link #read} is given (found in review, 2026-12-07: a symbol column was ignored
     *                  and two instruments replayed as one)
     */
    record Columns(int timestamp, int price, int amount, int count, String names, int symbol) {

        static final Columns POSITIONAL = new Columns(0, 1, 2, 3, "timestamp,price,amount", -1);
        private static final List<String> TIMESTAMP = List.of("timestamp", "time", "ts", "date");
        private static final List<String> PRICE = List.of("price");
        private static final List<String> AMOUNT = List.of("amount", "size", "volume", "qty", "quantity");

        /**
         * @throws IllegalArgumentException quoting the header when it names some of the three columns but not all
         */
        static Columns of(String line, String[] header) {
            List<String> names = java.util.Arrays.stream(header)
                    .map(h -> h.trim().replace("\"", "").toLowerCase(java.util.Locale.ROOT)).toList();
            int t = find(names, TIMESTAMP);
            int p = find(names, PRICE);
            int a = find(names, AMOUNT);
            if (t < 0 && p < 0 && a < 0) {
                return POSITIONAL;
            }
            if (t < 0 || p < 0 || a < 0) {
                throw new IllegalArgumentException("its header '" + (line.length() <= 80 ? line : line.substring(0, 77) + "...")
                        + "' names no " + (t < 0 ? "timestamp" : p < 0 ? "price" : "amount") + " column");
            }
            return new Columns(t, p, a, names.size(), String.join(",", names), names.indexOf("symbol"));
        }

        private static int find(List<String> names, List<String> accepted) {
            for (int i = 0; i < names.size(); i++) {
                if (accepted.contains(names.get(i))) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * @return the line's fields (RFC 4180): split at the commas outside double quotes, each field without the quotes
     *         around it that spreadsheets export ({@code "1385337600","800.01"}: every line was malformed, review
     *         2026-12-07) and with {@code ""} inside quotes read as one quote; a quote opens a quoted field only at its
     *         start (after blanks), as spreadsheets read it: elsewhere ({@code 12" Pipe Co}) it is text. Until 2026-12-07 the line was split at
     *         every comma first, and a quoted field holding one ({@code "Bitstamp, Ltd"}) made the line malformed
     *         (found in review)
     */
    static String[] fields(String line) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && quoted) {
                if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');   // an escaped quote
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;   // a quote opens a quoted section at a field's start only: 12" Pipe Co is text
                field.setLength(0);
            } else if (c == ',' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out.toArray(String[]::new);
    }

    /** @throws IllegalArgumentException naming the text when it is not a whole number (of a {@code long}'s range) */
    private static long timestamp(String field) {
        String t = field.trim();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timestamp '" + (t.length() <= 40 ? t : t.substring(0, 37) + "...")
                    + "' is not a whole number (epoch seconds, milliseconds, microseconds or nanoseconds)");
        }
    }

    /** @return the first data line earlier than the one before it, and how many such lines there are; null when sorted */
    static OutOfOrder outOfOrder(List<Trade> trades) {
        Trade first = null;
        Trade before = null;
        int count = 0;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < trades.size(); i++) {
            long ts = trades.get(i).tick().timestamp();
            if (ts < max) {
                count++;
                if (first == null) {
                    first = trades.get(i);
                    before = trades.get(i - 1);
                }
            }
            max = Math.max(max, ts);
        }
        return first == null ? null : new OutOfOrder(first.lineNumber(), first.tick().timestamp(), before.lineNumber(),
                before.tick().timestamp(), count);
    }
}
