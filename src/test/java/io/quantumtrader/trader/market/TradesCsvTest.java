package io.quantumtrader.trader.market;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TradesCsvTest {

    private static TradesCsv.Result read(String csv) {
        return TradesCsv.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "X");
    }

    @Test
    void readsTheBundledBitstampFile() throws Exception {
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            TradesCsv.Result r = TradesCsv.read(in, "BTC-USD");
            assertThat(r.malformed()).isEmpty();
            assertThat(r.ticks()).hasSize(100_000);
            assertThat(r.ticks().get(0).price()).isEqualTo(800.01);
            assertThat(r.ticks().get(0).timestamp()).isEqualTo(1_385_337_600_000L);
            assertThat(r.unit()).isEqualTo(TimestampUnit.SECONDS);
            assertThat(r.outOfOrder()).as("the Bitstamp file is in time order").isNull();
            assertThat(r.header()).isTrue();
            assertThat(r.trades().get(0).lineNumber()).isEqualTo(2);
        }
    }

    @Test
    void reportsMalformedLinesWithTheirNumbers() {
        TradesCsv.Result r = read("timestamp,price,amount\n1,10.5,2\nnot,a,number\n2,11\n3,-4,1\n4,12,0.5\n");
        assertThat(r.ticks()).extracting(t -> t.price()).containsExactly(10.5, 12.0);
        assertThat(r.trades()).extracting(TradesCsv.Trade::lineNumber).containsExactly(2, 6);
        assertThat(r.malformed()).extracting(TradesCsv.Malformed::lineNumber).containsExactly(3, 4, 5);
        assertThat(r.malformed().get(1).reason()).contains("expected 3 fields");
        assertThat(r.malformed().get(2).reason()).contains("price must be a positive number");
    }

    /** A damaged first line of a file without a header was skipped as a header, unreported (review 2026-12-06). */
    @Test
    void aFirstLineWithANumberInItIsDataAndReportedWhenDamaged() {
        TradesCsv.Result r = read("x1385337600,800.01,0.1\n1385337613,800.05,0.27\n1385337614,800.06,0.5\n");
        assertThat(r.header()).isFalse();
        assertThat(r.trades()).extracting(TradesCsv.Trade::lineNumber).containsExactly(2, 3);
        assertThat(r.malformed()).singleElement().satisfies(m -> {
            assertThat(m.lineNumber()).isEqualTo(1);
            assertThat(m.reason()).isEqualTo("timestamp 'x1385337600' is not a whole number (epoch seconds, milliseconds, "
                    + "microseconds or nanoseconds)");
        });
        assertThat(read("time,price,size\n1,2,3\n").header()).as("no field of a header is a number").isTrue();
        assertThat(read("date;price;amount\n1,2,3\n").header()).isTrue();
    }

    /** Double.parseDouble took Java literals (800.01f, 0.1d, 0x1.9p9, Infinity) as prices (review 2026-12-06). */
    @Test
    void pricesAndAmountsArePlainDecimalNumbers() {
        TradesCsv.Result r = read("timestamp,price,amount\n1,800.01f,0.1\n2,800,0.1d\n3,0x1.9p9,0.27\n4,Infinity,1\n5,NaN,1\n"
                + "6,1e400,1\n7,8.0001E2,.5\n8,+800,1e-3\n");
        assertThat(r.ticks()).extracting(t -> t.price() + "x" + t.size()).containsExactly("800.01x0.5", "800.0x0.001");
        assertThat(r.malformed()).extracting(TradesCsv.Malformed::reason).containsExactly(
                "price '800.01f' is not a decimal number", "amount '0.1d' is not a decimal number",
                "price '0x1.9p9' is not a decimal number", "price 'Infinity' is not a decimal number",
                "price 'NaN' is not a decimal number", "price '1e400' is beyond the range of a number");
        TradesCsv.Result prices = PricesCsv.read(new ByteArrayInputStream(
                "symbol,date,close\nA,2000-01-01,36.35f\nA,2000-01-02,36.5\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(prices.trades()).extracting(TradesCsv.Trade::lineNumber).containsExactly(3);
        assertThat(prices.malformed()).extracting(TradesCsv.Malformed::reason).containsExactly("close '36.35f' is not a decimal number");
    }

    @Test
    void detectsAndConvertsMillisecondMicrosecondAndNanosecondTimestamps() {
        assertThat(read("1385337600,1,1\n").ticks().get(0).timestamp()).isEqualTo(1_385_337_600_000L);
        TradesCsv.Result ms = read("timestamp,price,amount\n1385337600123,800,1\n1385337601000,801,1\n");
        assertThat(ms.unit()).isEqualTo(TimestampUnit.MILLISECONDS);
        assertThat(ms.ticks()).extracting(t -> t.timestamp()).containsExactly(1_385_337_600_123L, 1_385_337_601_000L);
        TradesCsv.Result us = read("1385337600123456,800,1\n");
        assertThat(us.unit()).isEqualTo(TimestampUnit.MICROSECONDS);
        assertThat(us.ticks().get(0).timestamp()).isEqualTo(1_385_337_600_123L);
        TradesCsv.Result ns = read("1385337600123456789,800,1\n");
        assertThat(ns.unit()).isEqualTo(TimestampUnit.NANOSECONDS);
        assertThat(ns.ticks().get(0).timestamp()).isEqualTo(1_385_337_600_123L);
    }

    @Test
    void aTimestampInAnotherUnitThanTheFilesIsMalformedNotMisread() {
        TradesCsv.Result r = read("1385337600000,800,1\n1385337601,801,1\n1385337602000,802,1\n");
        assertThat(r.unit()).isEqualTo(TimestampUnit.MILLISECONDS);
        assertThat(r.trades()).extracting(TradesCsv.Trade::lineNumber).containsExactly(1, 3);
        assertThat(r.malformed()).singleElement().satisfies(m -> {
            assertThat(m.lineNumber()).isEqualTo(2);
            assertThat(m.reason()).contains("epoch seconds").contains("epoch milliseconds");
        });
    }

    @Test
    void sortsAnUnsortedFileStablyAndNamesTheFirstOutOfOrderLine() {
        TradesCsv.Result r = read("timestamp,price,amount\n100,1,1\n300,3,1\n200,2,1\n300,3.5,1\n50,0.5,1\n");
        assertThat(r.ticks()).extracting(t -> t.price()).containsExactly(0.5, 1.0, 2.0, 3.0, 3.5);
        assertThat(r.trades()).extracting(TradesCsv.Trade::lineNumber).containsExactly(6, 2, 4, 3, 5);
        assertThat(r.outOfOrder()).isEqualTo(new TradesCsv.OutOfOrder(4, 200_000L, 3, 300_000L, 2));
        assertThat(r.malformed()).isEmpty();
    }

    @Test
    void aByteOrderMarkIsNotAHeader() {
        TradesCsv.Result r = read("\uFEFF1385337600,800,1\n1385337601,801,1\n");
        assertThat(r.header()).isFalse();
        assertThat(r.trades()).extracting(TradesCsv.Trade::lineNumber).containsExactly(1, 2);
    }

    @Test
    void equalTimestampsAreInOrder() {
        assertThat(read("100,1,1\n100,2,1\n101,3,1\n").outOfOrder()).isNull();
    }

    @Test
    void emptyAndHeaderOnlyFilesHaveNoTrades() {
        TradesCsv.Result empty = read("");
        assertThat(empty.trades()).isEmpty();
        assertThat(empty.header()).isFalse();
        TradesCsv.Result blank = read("\n\n");
        assertThat(blank.trades()).isEmpty();
        TradesCsv.Result header = read("timestamp,price,amount\n");
        assertThat(header.trades()).isEmpty();
        assertThat(header.header()).isTrue();
        assertThat(header.malformed()).isEmpty();
    }

    /** A header timestamp,amount,price was skipped and every amount read as a price (review 2026-12-07). */
    @Test
    void readsTheColumnsAHeaderNamesInItsOrder() {
        TradesCsv.Result r = read("timestamp,amount,price\n1385337600,0.1,800.01\n1385337613,0.27,800.05\n");
        assertThat(r.malformed()).isEmpty();
        assertThat(r.ticks()).extracting(t -> t.price()).containsExactly(800.01, 800.05);
        assertThat(r.ticks()).extracting(t -> t.size()).containsExactly(0.1, 0.27);
        TradesCsv.Result more = read("\"Price\",tid,Amount,Time\n800.01,7,0.1,1385337600\n800.05,8,0.27\n");
        assertThat(more.ticks()).extracting(t -> t.price()).containsExactly(800.01);
        assertThat(more.ticks().get(0).timestamp()).isEqualTo(1_385_337_600_000L);
        assertThat(more.malformed()).singleElement().satisfies(m -> assertThat(m.reason())
                .isEqualTo("expected 4 fields price,tid,amount,time, found 3"));
    }

    @Test
    void aHeaderNamingSomeColumnsButNotAllIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read("Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,3,4,5\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("its header 'Date,Open,High,Low,Close,Volume' names no price column");
    }

    /** Spreadsheets quote every field: each line was malformed ("timestamp '"1385337600"' is not a whole number"). */
    @Test
    void fieldsInDoubleQuotesAreRead() {
        TradesCsv.Result r = read("\"timestamp\",\"price\",\"amount\"\r\n\"1385337600\",\"800.01\",\"0.1\"\r\n\"1385337613\", \"800.05\" ,0.27\r\n");
        assertThat(r.malformed()).isEmpty();
        assertThat(r.header()).isTrue();
        assertThat(r.ticks()).extracting(t -> t.price()).containsExactly(800.01, 800.05);
    }

    /** A prices CSV's bad date was reported as Java's "Text '2000-13-01' could not be parsed at index 0" (review 2026-12-07). */
    @Test
    void aBadDateOfAPricesCsvIsReportedWithTheFormsADateTakes() {
        TradesCsv.Result r = PricesCsv.read(new ByteArrayInputStream(
                "symbol,date,price\nIBM,2000-13-01,100\nIBM,2000-01-01,101\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.ticks()).hasSize(1);
        assertThat(r.malformed()).singleElement().satisfies(m -> assertThat(m.reason())
                .isEqualTo("date '2000-13-01' is not a date of the form 2000-01-31, 20000131, Jan 31 2000 or epoch seconds/milliseconds"));
    }
}
