package io.quantumtrader.app;

import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.market.TradesCsv;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inputs of one replay ({@code --file SYMBOL=path}, repeated, or a prices CSV with a symbol column), merged into
 * one sequence of ticks by event time (ties: in the order the files were given, then file order).
 *
 * @param inputs the files, in the order given
 */
public record ReplayInputs(List<ReplayInput> inputs) {

    private static final Pattern CANDLE = Pattern.compile("(\\d+)([smhd])");

    /** One tick and the input it came from. */
    public record Tick(ReplayInput input, TradesCsv.Trade trade) {
        /** @return the tick's deterministic event id ({@link ReplayInput#eventId}) */
        public String eventId() {
            return input.eventId(trade);
        }

        public PriceTick tick() {
            return trade.tick();
        }
    }

    /**
     * @param specs         {@code SYMBOL=path} or {@code path} (ticks of {@code defaultSymbol}); empty: the bundled data
     * @param defaultSymbol the symbol of a file given without one
     * @throws CliException when a file cannot be used ({@link ReplayInput#load}), or (exit code 2) when two inputs would
     *                      give their ticks the same event ids ({@link #refuseCollidingIds})
     */
    public static ReplayInputs load(List<String> specs, String defaultSymbol) {
        if (specs == null || specs.isEmpty()) {
            return new ReplayInputs(List.of(ReplayInput.load(null, defaultSymbol)));
        }
        List<ReplayInput> out = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            boolean withSymbol = eq > 0 && PriceTick.isSymbol(spec.substring(0, eq));
            if (withSymbol && eq == spec.length() - 1) {
                throw new CliException(CliException.INPUT, "--file " + spec + " names no file", "give --file SYMBOL=path, e.g. --file "
                        + spec + "trades.csv", null);
            }
            if (eq == 0 && !java.nio.file.Files.exists(Path.of(spec))) {
                // --file =trades.csv was 'file not found: =trades.csv' (review 2026-12-07)
                throw new CliException(CliException.INPUT, "--file " + spec + " names no symbol before '='",
                        "give --file SYMBOL=path, e.g. --file BTC-USD" + spec + ", or the path alone for " + defaultSymbol, null);
            }
            if (eq > 0 && !withSymbol && !java.nio.file.Files.exists(Path.of(spec))) {
                // --file btc-usd=trades.csv was 'file not found: btc-usd=trades.csv' (review 2026-12-07)
                throw new CliException(CliException.INPUT, "invalid symbol '" + spec.substring(0, eq) + "' in --file " + spec
                        + ": a symbol is 1-32 characters of A-Z, 0-9, '.', '_', ':', '/', '-'",
                        "write it in upper case, e.g. --file BTC-USD=" + spec.substring(eq + 1), null);
            }
            Path path = Path.of(withSymbol ? spec.substring(eq + 1) : spec);
            out.add(ReplayInput.load(path, withSymbol ? spec.substring(0, eq) : defaultSymbol, withSymbol));
            paths.add(path);
        }
        refuseCollidingIds(out, paths);
        return new ReplayInputs(skipSecondCloses(out));
    }

    /**
     * Skips a bar (a prices CSV's close of a symbol at a date) that an input given before already has, as
     * {@link io.quantumtrader.trader.market.PricesCsv} skips a second close within one file: each skipped line is
     * reported with its line number and counted with the malformed ones. Found in review (2026-12-07): the same close in
     * two prices files ({@code --file aapl.csv --file stocks.csv}) was replayed twice, candles of two trades, no word.
     *
     * @param inputs the inputs, in the order given
     * @return the inputs, later prices CSVs without the closes an earlier one has
     */
    static List<ReplayInput> skipSecondCloses(List<ReplayInput> inputs) {
        Map<String, String> firstIn = new java.util.HashMap<>();   // symbol@time -> the input's name
        List<ReplayInput> out = new ArrayList<>();
        for (ReplayInput in : inputs) {
            if (!in.prices()) {
                out.add(in);
                continue;
            }
            List<TradesCsv.Trade> kept = new ArrayList<>();
            List<TradesCsv.Malformed> skipped = new ArrayList<>(in.csv().malformed());
            for (TradesCsv.Trade t : in.trades()) {
                String at = t.tick().symbol() + "@" + t.tick().timestamp();
                String before = firstIn.get(at);
                if (before != null) {
                    skipped.add(new TradesCsv.Malformed(t.lineNumber(), t.tick().symbol() + " " + t.tick().price(),
                            "a second close for " + t.tick().symbol() + " on " + java.time.Instant.ofEpochMilli(t.tick().timestamp())
                                    .toString().substring(0, 10) + ": " + before + " has one, given first"));
                } else {
                    kept.add(t);
                }
            }
            in.trades().forEach(t -> firstIn.putIfAbsent(t.tick().symbol() + "@" + t.tick().timestamp(), in.name()));
            if (kept.isEmpty()) {
                // every close of it is in an input given before (--file stocks.csv --file AAPL=stocks.csv): an input
                // of no tick, refused as load() refuses one (found in review of 2026-12-07)
                throw new CliException(CliException.INPUT, "every price in " + in.name() + (in.symbol().equals("*") ? "" : " of " + in.symbol())
                        + " is in an input given before it (" + firstIn.get(in.trades().get(0).tick().symbol() + "@"
                        + in.trades().get(0).tick().timestamp()) + ")", "give each file once; nothing was published", null);
            }
            if (kept.size() == in.trades().size()) {
                out.add(in);
            } else {
                skipped.sort(Comparator.comparingInt(TradesCsv.Malformed::lineNumber));
                out.add(new ReplayInput(in.name(), in.symbol(), new TradesCsv.Result(List.copyOf(kept), List.copyOf(skipped),
                        in.csv().header(), in.csv().unit(), in.csv().outOfOrder()), true));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Refuses two inputs of one file name and symbol (two days' {@code trades.csv} of one symbol in two folders, or one
     * file given twice): a tick's event id is (file name, symbol, line number) ({@link ReplayInput#eventId}), so line N
     * of the second would carry the id of line N of the first and the engine's idempotent ingest would skip it as a
     * duplicate, a silent loss. Refused rather than made unique so that the ids of every input that does not collide,
     * and the resume of a namespace replayed before ({@link ReplayResume}), stay as they were.
     *
     * @param inputs the inputs, in the order given
     * @param paths  their paths, in the same order
     * @throws CliException (exit code 2) naming both paths and what to do
     */
    static void refuseCollidingIds(List<ReplayInput> inputs, List<Path> paths) {
        Map<List<String>, Path> seen = new java.util.HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            ReplayInput in = inputs.get(i);
            Path before = seen.putIfAbsent(List.of(in.name(), in.symbol()), paths.get(i));
            if (before != null) {
                String symbol = in.prices() ? "prices" : in.symbol();
                throw new CliException(CliException.INPUT, String.format("%s and %s would give their ticks the same event ids "
                                + "(file name %s, %s, line number): the second's would be skipped as duplicates", before, paths.get(i),
                                in.name(), symbol),
                        before.equals(paths.get(i)) ? "give each file once; nothing was published"
                                : "rename one of them (e.g. trades-day2.csv) or concatenate them into one file; nothing was published", null);
            }
        }
    }

    /**
     * @return every tick of every input, merged by event time, ticks of one millisecond by symbol (stable: a symbol's
     *         ticks keep their file order). The order the portfolio processes them in whatever the partition count: its
     *         input gathers the symbols' ticks from several market-data tasks and orders them the same way
     *         ({@code InputAligner}, merged inputs)
     */
    public List<Tick> merged() {
        List<Tick> all = new ArrayList<>();
        for (ReplayInput in : inputs) {
            in.trades().forEach(t -> all.add(new Tick(in, t)));
        }
        all.sort(Comparator.<Tick>comparingLong(t -> t.tick().timestamp()).thenComparing(t -> t.tick().symbol()));
        return all;
    }

    /** @return ticks read from all inputs */
    public long ticks() {
        return inputs.stream().mapToLong(i -> i.trades().size()).sum();
    }

    /** @return malformed lines of all inputs */
    public long malformed() {
        return inputs.stream().mapToLong(i -> i.csv().malformed().size()).sum();
    }

    /** @return the symbols of all inputs, sorted */
    public List<String> symbols() {
        return inputs.stream().flatMap(i -> i.symbols().stream()).distinct().sorted().toList();
    }

    /**
     * @param candle the candle size
     * @return what to know before the replay: each input's notices, and a warning per symbol whose prices are
     *         further apart (median gap) than the candle: each candle then holds one price, a bar is not a candle of trades
     */
    public List<String> notices(Duration candle) {
        return notices(candle, Integer.MAX_VALUE);
    }

    /**
     * @param candle             the candle size
     * @param entryExpiryCandles the risk rules' {@code pending-entry-expiry-candles}: a symbol whose prices are further
     *                           apart than that many candles gets it said in its warning, since none of its entries can
     *                           fill (each expires before the next price; found in review, 2026-12-07: with
     *                           {@code --candle 1s} on daily bars all 167 entries were cancelled, the warning silent
     *                           about it)
     * @return {@link #notices(Duration)}, the warnings naming entries that expire before the next price
     */
    public List<String> notices(Duration candle, int entryExpiryCandles) {
        List<String> out = new ArrayList<>();
        inputs.forEach(i -> out.addAll(i.notices()));
        out.addAll(overlaps());
        Map<String, List<Long>> times = new TreeMap<>();
        merged().forEach(t -> times.computeIfAbsent(t.tick().symbol(), s -> new ArrayList<>()).add(t.tick().timestamp()));
        times.forEach((symbol, ts) -> {
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < ts.size(); i++) {
                gaps.add(ts.get(i) - ts.get(i - 1));
            }
            if (gaps.isEmpty()) {
                return;
            }
            gaps.sort(Long::compare);
            long median = gaps.get(gaps.size() / 2);
            if (median > candle.toMillis()) {
                String hint = suggest(median);
                double expiryMs = (double) entryExpiryCandles * candle.toMillis();
                String expiry = median > expiryMs ? String.format("; a pending entry expires %d candles (%s) after its "
                        + "signal, before %s's next price, so none of its entries can fill", entryExpiryCandles,
                        human(Duration.ofMillis((long) expiryMs)), symbol) : "";
                out.add(String.format("warning: %s's prices are %s apart (median), coarser than the %s candle: each candle holds "
                        + "one price (open = high = low = close), so ADX/ATR see no range inside a candle%s%s", symbol,
                        human(Duration.ofMillis(median)), label(candle), expiry,
                        hint == null ? "" : "; use --candle " + hint + " or more for this data"));
            }
        });
        return out;
    }

    /**
     * @return a notice per symbol whose trades come from two inputs whose times overlap: both are replayed, merged by
     *         time, which is right for two venues' trades and wrong for one file given twice under two names (each trade
     *         replayed twice). Found in review (2026-12-07): such a doubling went without a word
     */
    List<String> overlaps() {
        record Span(String name, long from, long to) {
        }
        Map<String, List<Span>> spans = new TreeMap<>();
        for (ReplayInput in : inputs) {
            if (in.prices()) {
                continue;   // bars: a second close of a symbol and date is skipped (skipSecondCloses)
            }
            Map<String, long[]> bySymbol = new TreeMap<>();
            in.trades().forEach(t -> bySymbol.merge(t.tick().symbol(), new long[]{t.tick().timestamp(), t.tick().timestamp()},
                    (a, b) -> new long[]{Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
            bySymbol.forEach((symbol, r) -> spans.computeIfAbsent(symbol, x -> new ArrayList<>()).add(new Span(in.name(), r[0], r[1])));
        }
        List<String> out = new ArrayList<>();
        spans.forEach((symbol, list) -> {
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Span a = list.get(i);
                    Span b = list.get(j);
                    if (a.from() <= b.to() && b.from() <= a.to()) {
                        out.add(String.format("notice: %s's trades in %s (%s to %s) and in %s (%s to %s) overlap in time: both "
                                        + "are replayed, merged by time; if one file holds the other's trades, each is replayed twice",
                                symbol, a.name(), java.time.Instant.ofEpochMilli(a.from()), java.time.Instant.ofEpochMilli(a.to()),
                                b.name(), java.time.Instant.ofEpochMilli(b.from()), java.time.Instant.ofEpochMilli(b.to())));
                    }
                }
            }
        });
        return out;
    }

    /** The largest candle {@code --candle} takes: 365 days. */
    static final Duration MAX_CANDLE = Duration.ofDays(365);

    /**
     * @param text {@code <n>s|m|h|d}, e.g. {@code 1m}, {@code 5m}, {@code 1h}, {@code 1d}; at most {@link #MAX_CANDLE}
     * @throws CliException (exit code 2) for anything else: a size too large for a number, or above 365 days, too
     *                      (until 2026-12-07 "unexpected error: ArithmeticException: long overflow" with exit code 1, or
     *                      "invalid input: For input string", naming no option: found in review)
     */
    public static Duration candle(String text) {
        Matcher m = CANDLE.matcher(text == null ? "" : text.trim());
        long n = 0;
        try {
            n = m.matches() ? Long.parseLong(m.group(1)) : 0;
        } catch (NumberFormatException e) {
            n = Long.MAX_VALUE;   // more digits than a long: too large
        }
        if (n <= 0) {
            throw new CliException(CliException.INPUT, "invalid --candle '" + text + "'", "give a size like 1m, 5m, 1h or 1d", null);
        }
        long seconds = switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3_600;
            default -> 86_400;
        };
        if (n > MAX_CANDLE.toSeconds() / seconds) {
            throw new CliException(CliException.INPUT, "invalid --candle '" + text + "': at most 365d",
                    "give a size like 1m, 5m, 1h or 1d", null);
        }
        return Duration.ofSeconds(n * seconds);
    }

    /** @return the candle size as {@code --candle} takes it, e.g. {@code 1m} */
    public static String label(Duration d) {
        long s = d.toSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** @return the smallest of 1m, 5m, 1h, 1d, 7d at least {@code medianMs}, null when the data is coarser still */
    private static String suggest(long medianMs) {
        for (String c : new String[]{"1m", "5m", "1h", "1d", "7d"}) {
            if (candle(c).toMillis() >= medianMs) {
                return c;
            }
        }
        return null;
    }

    private static String human(Duration d) {
        return d.toDays() >= 2 ? d.toDays() + " days" : d.toHours() >= 2 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
    }
}
