package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Found in review (2026-12-07, multi-symbol replay): inputs that were replayed with no word. Plain Java, no Redis. */
class MultiSymbolInputsTest {

    @TempDir
    Path dir;

    private static final String STOCKS = """
            symbol,date,price
            MSFT,Jan 1 2000,39.81
            MSFT,Feb 1 2000,36.35
            AAPL,Jan 1 2000,25.94
            AAPL,Feb 1 2000,28.66
            """;

    /** {@code --file AAPL=stocks.csv}: the SYMBOL= is ignored and MSFT is replayed too, with no word. */
    @Test
    void aSymbolGivenForAPricesCsvIsNotIgnored() throws Exception {
        Path stocks = Files.writeString(dir.resolve("stocks.csv"), STOCKS);
        try {
            ReplayInputs inputs = ReplayInputs.load(List.of("AAPL=" + stocks), "BTC-USD");
            assertThat(inputs.symbols()).as("--file AAPL=stocks.csv replays").containsExactly("AAPL");
        } catch (CliException refused) {
            assertThat(refused.getMessage()).contains("AAPL");   // or refused, naming it: fine too
        }
    }

    /**
     * One file's second close for a symbol and date is skipped and reported (PricesCsv: "a second close for ..."), but
     * the same close in two prices files is replayed twice: two ticks of AAPL at each date, candles of 2 trades.
     */
    @Test
    void aSymbolsBarInTwoPricesFilesIsNotReplayedTwiceSilently() throws Exception {
        Path stocks = Files.writeString(dir.resolve("stocks.csv"), STOCKS);
        Path aapl = Files.writeString(dir.resolve("aapl.csv"), "symbol,date,price\nAAPL,Jan 1 2000,25.94\nAAPL,Feb 1 2000,28.66\n");
        ReplayInputs inputs;
        try {
            inputs = ReplayInputs.load(List.of(aapl.toString(), stocks.toString()), "BTC-USD");
        } catch (CliException refused) {
            return;   // refused: fine
        }
        Map<String, Long> perInstant = inputs.merged().stream()
                .collect(Collectors.groupingBy(t -> t.tick().symbol() + "@" + t.tick().timestamp(), Collectors.counting()));
        long duplicates = perInstant.values().stream().filter(n -> n > 1).count();
        if (duplicates > 0 && inputs.malformed() == 0
                && inputs.notices(java.time.Duration.ofDays(1)).stream().noneMatch(n -> n.contains("AAPL") && n.contains("twice"))) {
            fail("AAPL's closes of Jan 1 and Feb 1 2000 are each replayed twice (once per file), with no notice and no "
                    + "skipped line: " + perInstant);
        }
    }

    /** A prices CSV given whole, then for one of its symbols: the second input has no close of its own, refused. */
    @Test
    void anInputWhoseEveryCloseAnEarlierOneHasIsRefused() throws Exception {
        Path stocks = Files.writeString(dir.resolve("stocks.csv"), STOCKS);
        try {
            ReplayInputs.load(List.of(stocks.toString(), "AAPL=" + stocks), "BTC-USD");
            fail("--file stocks.csv --file AAPL=stocks.csv: not refused");
        } catch (CliException refused) {
            assertThat(refused.exitCode()).isEqualTo(CliException.INPUT);
            assertThat(refused.getMessage()).contains("every price in stocks.csv of AAPL is in an input given before it");
        }
    }

    /** The same trades of one symbol in two files (an overlapping download, renamed): every trade is replayed twice, no word. */
    @Test
    void oneSymbolsTradesInTwoOverlappingFilesAreNotDoubledSilently() throws Exception {
        String trades = "timestamp,price,amount\n1700000000,100.0,1\n1700000010,100.5,2\n1700000020,100.2,1\n";
        Path a = Files.writeString(dir.resolve("btc-a.csv"), trades);
        Path b = Files.writeString(dir.resolve("btc-b.csv"), trades);
        ReplayInputs inputs;
        try {
            inputs = ReplayInputs.load(List.of("BTC-USD=" + a, "BTC-USD=" + b), "BTC-USD");
        } catch (CliException refused) {
            return;   // refused: fine
        }
        List<String> notices = inputs.notices(java.time.Duration.ofMinutes(1));
        assertThat(inputs.ticks() == 3 || notices.stream().anyMatch(n -> n.contains("overlap")))
                .as("6 ticks replayed for 3 trades of BTC-USD, notices " + notices).isTrue();
    }

    /**
     * A trades CSV with a symbol column (several symbols' trades in one file) is not a prices CSV (no date column): it
     * is read as trades of --symbol, the symbol column ignored, so AAA at 100 and BBB at 50 become one series of
     * BTC-USD (here the price band refuses half of it; with nearer prices they are mixed into one symbol's candles).
     */
    @Test
    void aTradesCsvWithASymbolColumnIsNotReplayedAsOneSymbol() throws Exception {
        Path f = Files.writeString(dir.resolve("multi.csv"), "symbol,timestamp,price,amount\nAAA,1700000000,100,1\n"
                + "BBB,1700000001,50,1\nAAA,1700000060,101,1\nBBB,1700000061,51,1\n");
        try {
            ReplayInputs inputs = ReplayInputs.load(List.of(f.toString()), "BTC-USD");
            assertThat(inputs.symbols()).as("symbols replayed from a trades CSV with a symbol column AAA, BBB")
                    .containsExactly("AAA", "BBB");
        } catch (CliException refused) {
            assertThat(refused.getMessage()).contains("symbol");   // refused, naming the column: fine too
        }
    }

    /**
     * A prices CSV (symbol,date,price) with only its header, or whose every date is wrong, is refused with the hint
     * "a trades CSV has lines timestamp,price,amount ...": the other format, not the one the file is in.
     */
    @Test
    void anUnusablePricesCsvIsRefusedWithThePricesFormatsHint() throws Exception {
        Path headerOnly = Files.writeString(dir.resolve("h.csv"), "symbol,date,price\n");
        Path badDates = Files.writeString(dir.resolve("d.csv"), "symbol,date,price\nAAA,2000-02-30,1\n");
        for (Path f : List.of(headerOnly, badDates)) {
            try {
                ReplayInputs.load(List.of(f.toString()), "BTC-USD");
                fail("no ticks in " + f + ": not refused");
            } catch (CliException refused) {
                assertThat(refused.exitCode()).isEqualTo(CliException.INPUT);
                assertThat(refused.getMessage() + "\n  " + refused.hint()).as("error for " + f.getFileName())
                        .contains("symbol,date,price").doesNotContain("timestamp,price,amount");
            }
        }
    }
}
