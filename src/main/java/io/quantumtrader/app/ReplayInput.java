package io.quantumtrader.app;

import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.trader.market.PricesCsv;
import io.quantumtrader.trader.market.TimestampUnit;
import io.quantumtrader.trader.market.TradesCsv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ticks a replay publishes, read from a trades CSV ({@link TradesCsv}) or the bundled Bitstamp data, with what the
 * person should know about them ({@link #notices()}: converted timestamp units, a file sorted into time order, skipped
 * lines) and a deterministic event id per tick ({@link #eventId(TradesCsv.Trade)}).
 *
 * @param name   the file name (without directories), e.g. {@code bitstamp_trades_from_20131125_usd.csv}
 * @param symbol the symbol of every tick ({@code *} for a file whose symbol column names each tick's: a prices CSV, a
 *               trades CSV with a {@code symbol} column, when no symbol was given for it)
 * @param csv    what was read
 * @param prices true for a prices CSV ({@link PricesCsv}: symbol, date, price columns; bars, not trades)
 */
public record ReplayInput(String name, String symbol, TradesCsv.Result csv, boolean prices) {

    /** How many skipped lines are printed one by one; the rest are counted. */
    static final int MALFORMED_SHOWN = 10;

    /** The hint for a prices CSV that cannot be used. */
    static final String PRICES_HINT = "a prices CSV has a header naming the columns symbol,date,price (or close), dates as "
            + "yyyy-MM-dd, yyyyMMdd, MMM d yyyy or epoch seconds/ms; nothing was published";

    /**
     * A file whose ticks are all of {@code symbol} ({@link #load(Path, String, boolean)} with the symbol not given).
     *
     * @param file   the trades CSV, or null for the bundled data
     * @param symbol the symbol of the ticks
     * @throws CliException (exit code 2) when the file does not exist, cannot be read, or holds no tick (empty, only a
     *                      header, or every line malformed)
     */
    public static ReplayInput load(Path file, String symbol) {
        return load(file, symbol, false);
    }

    /**
     * @param file        the trades CSV or prices CSV, or null for the bundled data
     * @param symbol      the symbol of the ticks of a file that names none ({@code --symbol}, or the {@code SYMBOL=} of
     *                    {@code --file SYMBOL=path})
     * @param symbolGiven true when the person gave {@code symbol} for this file ({@code --file SYMBOL=path}): a file
     *                    that names each tick's symbol (a prices CSV, a trades CSV with a {@code symbol} column) is
     *                    then replayed for that symbol only (found in review, 2026-12-07: it was ignored and every
     *                    symbol of the file replayed)
     * @throws CliException (exit code 2) when the file does not exist, cannot be read, or holds no tick (empty, only a
     *                      header, every line malformed, or none of the symbol given)
     */
    public static ReplayInput load(Path file, String symbol, boolean symbolGiven) {
        String name = file == null ? TradesCsv.BITSTAMP_RESOURCE.substring(1) : file.getFileName().toString();
        TradesCsv.Result csv;
        boolean prices;
        boolean symbolColumn;
        String first = "";   // the file's first line that is not blank
        try (InputStream in = file != null ? Files.newInputStream(file) : TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            if (in == null) {
                throw new CliException(CliException.INPUT, "bundled data " + TradesCsv.BITSTAMP_RESOURCE + " is not on the classpath",
                        "rebuild with mvn -q -B -DskipTests package (it ships in org.ta4j:ta4j-examples:0.15)", null);
            }
            java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(in);
            buffered.mark(4096);
            // the first line that is not blank: a prices CSV after a blank line was read as trades until 2026-12-07 (review)
            first = new String(buffered.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(l -> l.startsWith("\uFEFF") ? l.substring(1) : l).filter(l -> !l.isBlank()).findFirst().orElse("");
            buffered.reset();
            prices = PricesCsv.isPricesHeader(first.startsWith("\uFEFF") ? first.substring(1) : first);
            symbolColumn = !prices && TradesCsv.hasSymbolColumn(first);
            csv = prices ? PricesCsv.read(buffered) : TradesCsv.read(buffered, symbol);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.INPUT, "no ticks in " + (file != null ? file : name) + ": " + e.getMessage(),
                    looksLikePrices(first) ? PRICES_HINT
                            : "a trades CSV has the columns timestamp,price,amount (a header may name them in any order); nothing was published", e);
        } catch (NoSuchFileException e) {
            throw new CliException(CliException.INPUT, "file not found: " + file, "check the path given to --file", e);
        } catch (IOException | UncheckedIOException e) {
            throw new CliException(CliException.INPUT, "cannot read " + file + ": " + e.getMessage(), "check the file", e);
        }
        boolean named = prices || symbolColumn;   // the file names each tick's symbol
        if (!named && !io.quantumtrader.trader.events.PriceTick.isSymbol(symbol)) {
            // each line was reported malformed for it: "none of its 3000 data lines could be read (... was 'btc-usd')"
            // named the file, not the option (review 2026-12-07)
            throw new CliException(CliException.INPUT, "invalid symbol '" + symbol + "' for " + name
                    + ": a symbol is 1-32 characters of A-Z, 0-9, '.', '_', ':', '/', '-'", "write it in upper case, e.g. --symbol BTC-USD", null);
        }
        if (csv.trades().isEmpty()) {
            String what = !csv.malformed().isEmpty()
                    ? String.format("none of its %,d data lines", csv.malformed().size()) + " could be read (line " + csv.malformed().get(0).lineNumber()
                      + ": " + csv.malformed().get(0).reason() + ")"
                    : csv.header() ? "it has only a header line" : "it is empty";
            throw new CliException(CliException.INPUT, "no ticks in " + (file != null ? file : name) + ": " + what,
                    prices ? PRICES_HINT : "a trades CSV has lines timestamp,price,amount (epoch seconds, ms, us or ns; a header may name the columns in any order); nothing was published", null);
        }
        if (named && symbolGiven) {
            List<TradesCsv.Trade> of = csv.trades().stream().filter(t -> t.tick().symbol().equals(symbol)).toList();
            if (of.isEmpty()) {
                java.util.SortedSet<String> has = new java.util.TreeSet<>();
                csv.trades().forEach(t -> has.add(t.tick().symbol()));
                throw new CliException(CliException.INPUT, "no ticks of " + symbol + " in " + file + ": its symbol column names "
                        + abbreviate(String.join(", ", has)),
                        "give --file " + file + " alone to replay every symbol it names, or --file SYMBOL=" + file
                                + " with one of them; nothing was published", null);
            }
            csv = new TradesCsv.Result(of, csv.malformed(), csv.header(), csv.unit(), csv.outOfOrder());
        }
        return new ReplayInput(name, named && !symbolGiven ? "*" : symbol, csv, prices);
    }

    /** @return whether a file's first line that is not blank names a {@code date} or {@code symbol} column */
    private static boolean looksLikePrices(String headerLine) {
        String first = headerLine.toLowerCase(java.util.Locale.ROOT);
        return java.util.Arrays.stream(first.split(",")).map(c -> c.trim().replace("\"", ""))
                .anyMatch(c -> c.equals("date") || c.equals("symbol")) && !first.contains("timestamp");
    }

    /** @return the symbols of the ticks, sorted */
    public java.util.SortedSet<String> symbols() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        csv.trades().forEach(t -> out.add(t.tick().symbol()));
        return out;
    }

    /** @return the ticks in time order, with their line numbers */
    public List<TradesCsv.Trade> trades() {
        return csv.trades();
    }

    /**
     * @return the tick's event id: a name-based UUID of (file name, symbol, line number), so publishing the same file
     *         into the same namespace again gives every tick the id it had the first time (the engine's idempotent ingest
     *         can then recognize it)
     */
    public String eventId(TradesCsv.Trade trade) {
        return EnvelopeCodec.deterministicId("replay", name, symbol, Integer.toString(trade.lineNumber()));
    }

    /** @return lines to print before the replay: timestamp conversion, sorting, skipped lines; empty when none applies */
    public List<String> notices() {
        List<String> out = new ArrayList<>();
        if (prices) {
            out.add(String.format("notice: %s holds prices of %s at dates (bars: one price per symbol and period), not trades; "
                    + "each is replayed as one tick at 00:00 UTC of its date", name, symbols()));
        } else if (symbols().size() > 1 || !symbols().contains(symbol)) {
            out.add(String.format("notice: %s has a symbol column: its trades are replayed as ticks of %s", name, symbols()));
        }
        if (csv.unit() != TimestampUnit.SECONDS) {
            TradesCsv.Trade first = csv.trades().stream().min(java.util.Comparator.comparingInt(TradesCsv.Trade::lineNumber)).orElseThrow();
            out.add(String.format("notice: timestamps read as %s (detected from their size; line %d is %s)%s", csv.unit().label(),
                    first.lineNumber(), Instant.ofEpochMilli(first.tick().timestamp()),
                    csv.unit() == TimestampUnit.MILLISECONDS ? "" : ", truncated to milliseconds"));
        }
        TradesCsv.OutOfOrder o = csv.outOfOrder();
        if (o != null) {
            out.add(String.format("notice: %s is not in time order: line %d (%s) is earlier than line %d (%s); %,d lines out of order, "
                            + "sorted by timestamp (stable)", name, o.lineNumber(), Instant.ofEpochMilli(o.timestamp()),
                    o.previousLineNumber(), Instant.ofEpochMilli(o.previousTimestamp()), o.linesOutOfOrder()));
        }
        List<TradesCsv.Malformed> bad = csv.malformed();
        for (int i = 0; i < Math.min(bad.size(), MALFORMED_SHOWN); i++) {
            TradesCsv.Malformed m = bad.get(i);
            out.add(String.format("  skipped line %d (%s): %s", m.lineNumber(), m.reason(), abbreviate(m.line())));
        }
        if (bad.size() > MALFORMED_SHOWN) {
            out.add(String.format("  ... and %,d more skipped lines", bad.size() - MALFORMED_SHOWN));
        }
        return out;
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }
}
