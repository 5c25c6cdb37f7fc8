package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a CSV's header and timestamp unit are taken from. Found in review (2026-12-07): a header after a leading blank
 * line (as some exports write) was read as a malformed data line, and the file positionally: with the columns in
 * another order (timestamp,amount,price) every amount was replayed as a price; a prices CSV after a blank line was read
 * as trades and refused; and one damaged first data line decided the timestamp unit of the whole file.
 */
class CsvHeaderAfterBlankLineTest {

    @TempDir
    Path dir;

    @Test
    void aHeaderAfterALeadingBlankLineStillNamesTheColumns() throws Exception {
        Path f = Files.writeString(dir.resolve("trades.csv"),
                "\ntimestamp,amount,price\n1385337600,0.5,800\n1385337660,0.7,801\n1385337720,0.1,802\n");
        ReplayInput in = ReplayInput.load(f, "BTC-USD");
        assertThat(in.trades()).extracting(t -> t.tick().price()).as("prices, not amounts; notices: %s", in.notices())
                .containsExactly(800.0, 801.0, 802.0);
    }

    /** A prices CSV (symbol,date,price) after a blank line is read as trades and refused as "timestamp 'symbol' ...". */
    @Test
    void aPricesCsvWithALeadingBlankLineIsReadAsPrices() throws Exception {
        Path f = Files.writeString(dir.resolve("stocks.csv"), "\nsymbol,date,price\nMSFT,Jan 1 2000,39.81\nMSFT,Feb 1 2000,36.35\n");
        ReplayInput in = ReplayInput.load(f, "BTC-USD");
        assertThat(in.prices()).isTrue();
        assertThat(in.trades()).hasSize(2);
    }

    /** A prices CSV with quoted fields, as spreadsheets export it ("price '\"39.81\"' is not a decimal number" before). */
    @Test
    void aPricesCsvWithQuotedFieldsIsRead() throws Exception {
        Path f = Files.writeString(dir.resolve("quoted.csv"),
                "\"symbol\",\"date\",\"price\"\n\"MSFT\",\"Jan 1 2000\",\"39.81\"\n\"MSFT\",\"Feb 1 2000\",\"36.35\"\n");
        ReplayInput in = ReplayInput.load(f, "BTC-USD");
        assertThat(in.prices()).isTrue();
        assertThat(in.trades()).extracting(t -> t.tick().price()).containsExactly(39.81, 36.35);
    }

    /**
     * One damaged first data line (a timestamp cut to 8 digits, read as epoch seconds) decides the file's unit: every
     * one of the 2,000 well-formed millisecond lines after it is skipped as "looks like epoch milliseconds but the file's
     * first timestamp is in epoch seconds", and the damaged line is the only tick replayed (1970-06-10), exit code 0.
     */
    @Test
    void oneDamagedFirstLineDoesNotDecideTheUnitOfTheWholeFile() throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,price,amount\n13853376,800,1\n");
        for (int i = 1; i <= 2_000; i++) {
            csv.append(1_385_337_600_000L + i * 1_000L).append(",800.").append(i % 10).append(",0.1\n");
        }
        ReplayInput in = ReplayInput.load(Files.writeString(dir.resolve("ms.csv"), csv), "BTC-USD");
        assertThat(in.trades()).as("ticks read; first notices: %s", in.notices().subList(0, 2)).hasSizeGreaterThanOrEqualTo(2_000);
    }
}
