package io.quantumtrader.trader.market;

import io.quantumtrader.trader.events.PriceTick;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads price series of several symbols from a CSV with a header naming the columns {@code symbol}, {@code date} and
 * {@code price} (or {@code close}), in any order, as the {@code data/stocks.csv} of the npm package
 * {@code vega-datasets} ({@code MSFT,Jan 1 2000,39.81}). These are prices at dates (bars: one close per symbol and
 * period), not trades: each becomes one tick at 00:00 UTC of its date (an epoch time: at that instant), size 0. Dates:
 * {@code yyyy-MM-dd}, {@code yyyyMMdd}, {@code MMM d yyyy} (English month names) or epoch seconds/milliseconds. Malformed lines are reported with their
 * line numbers, an unsorted file is sorted (stable), as {@link TradesCsv} does; a price is a plain decimal number
 * ({@link DecimalField}).
 */
public final class PricesCsv {

    private static final DateTimeFormatter MONTH_DAY_YEAR = DateTimeFormatter.ofPattern("MMM d yyyy", Locale.ENGLISH);

    private PricesCsv() {
    }

    /** @return whether {@code headerLine} names the columns of a prices CSV (symbol, date, price or close) */
    public static boolean isPricesHeader(String headerLine) {
        List<String> cols = columns(headerLine);
        return cols.contains("symbol") && cols.contains("date") && (cols.contains("price") || cols.contains("close"));
    }

    /**
     * @param in the CSV text (UTF-8) with its header line; closed by the caller
     * @return the ticks in time order with their line numbers; {@link TradesCsv.Result#header()} true
     * @throws IllegalArgumentException when the header does not name the symbol, date and price columns
     */
    public static TradesCsv.Result read(InputStream in) {
        List<TradesCsv.Trade> ticks = new ArrayList<>();
        List<TradesCsv.Malformed> malformed = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            int skipped = 0;
            while (header != null && (header.isBlank() || header.equals("\uFEFF"))) {   // blank lines before the header
                header = r.readLine();
                skipped++;
            }
            if (header == null) {
                return new TradesCsv.Result(List.of(), List.of(), false, TimestampUnit.SECONDS, null);
            }
            header = header.startsWith("\uFEFF") ? header.substring(1) : header;
            if (!isPricesHeader(header)) {
                throw new IllegalArgumentException("a prices CSV needs a header with the columns symbol, date and price (or close), was: " + header);
            }
            List<String> cols = columns(header);
            int symbolAt = cols.indexOf("symbol");
            int dateAt = cols.indexOf("date");
            int priceAt = cols.contains("price") ? cols.indexOf("price") : cols.indexOf("close");
            String line;
            java.util.Map<String, Integer> firstLine = new java.util.HashMap<>();   // symbol@time -> its first line
            int n = 1 + skipped;   // the header's line number
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                // quoted fields as the trades reader takes them ("39.81" was "not a decimal number" until 2026-12-07: review)
                String[] f = TradesCsv.fields(line);
                if (f.length != cols.size()) {
                    malformed.add(new TradesCsv.Malformed(n, line, "expected " + cols.size() + " fields, found " + f.length));
                    continue;
                }
                try {
                    PriceTick tick = new PriceTick(f[symbolAt].trim(), DecimalField.parse(f[priceAt], cols.get(priceAt)), 0,
                            epochMillis(f[dateAt].trim()));
                    // one close per symbol and period: two overlapping downloads concatenated gave two ticks at one
                    // instant, the later setting the close, with no word (found in review, 2026-12-07)
                    Integer first = firstLine.putIfAbsent(tick.symbol() + "@" + tick.timestamp(), n);
                    if (first != null) {
                        malformed.add(new TradesCsv.Malformed(n, line, "a second close for " + tick.symbol() + " on "
                                + f[dateAt].trim() + " (the first at line " + first + ")"));
                        continue;
                    }
                    ticks.add(new TradesCsv.Trade(n, tick));
                } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
                    malformed.add(new TradesCsv.Malformed(n, line, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prices CSV", e);
        }
        TradesCsv.OutOfOrder outOfOrder = TradesCsv.outOfOrder(ticks);
        // time order; one date's bars by symbol (the order the replay publishes ties in, whatever the file's)
        ticks.sort(Comparator.<TradesCsv.Trade>comparingLong(t -> t.tick().timestamp()).thenComparing(t -> t.tick().symbol()));
        return new TradesCsv.Result(List.copyOf(ticks), List.copyOf(malformed), true, TimestampUnit.SECONDS, outOfOrder);
    }

    /**
     * @return 00:00 UTC of {@code date} ({@code yyyy-MM-dd}, {@code yyyyMMdd}, {@code MMM d yyyy}), or the instant of
     *         epoch seconds / milliseconds as given, epoch ms
     * @throws IllegalArgumentException quoting the date and the forms it may take when it is none of them
     */
    static long epochMillis(String date) {
        if (date.length() == 8 && date.chars().allMatch(Character::isDigit)) {
            // the compact ISO form 20000103 (Stooq's and many vendors' exports): read as epoch seconds it was a tick in
            // 1970, silently (found in review, 2026-12-07). An 8-digit epoch second (1970-04 to 1973-03) that is no
            // such date is still one
            try {
                return LocalDate.parse(date, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException notADate) {
                // epoch seconds, below
            }
        }
        if (!date.isEmpty() && date.chars().allMatch(Character::isDigit)) {
            long raw = Long.parseLong(date);
            return TimestampUnit.detect(raw).toMillis(raw);
        }
        LocalDate d;
        try {
            d = LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            try {
                d = LocalDate.parse(date, MONTH_DAY_YEAR);
            } catch (DateTimeParseException again) {
                // was Java's "Text '2000-13-01' could not be parsed at index 0" (review 2026-12-07)
                throw new IllegalArgumentException("date '" + (date.length() <= 40 ? date : date.substring(0, 37) + "...")
                        + "' is not a date of the form 2000-01-31, 20000131, Jan 31 2000 or epoch seconds/milliseconds");
            }
        }
        return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static List<String> columns(String header) {
        return Arrays.stream(TradesCsv.fields(header)).map(c -> c.trim().toLowerCase(Locale.ROOT)).toList();
    }
}
