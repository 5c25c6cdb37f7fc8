package io.quantumtrader.trader.market;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Found in review (2026-12-07): TradesCsv's javadoc said "a field is never split at a comma inside quotes". */
class QuotedCommaTest {

    static TradesCsv.Result read(String csv) {
        return TradesCsv.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "BTC-USD");
    }

    @Test
    void aQuotedFieldWithACommaDoesNotMakeTheLineMalformed() {
        TradesCsv.Result r = read("timestamp,price,amount,exchange\n"
                + "1385337600,800.01,0.1,\"Bitstamp, Ltd\"\n"
                + "1385337613,800.05,0.27,Bitstamp\n");
        assertThat(r.malformed()).as("malformed lines").isEmpty();
        assertThat(r.trades()).hasSize(2);
    }

    @Test
    void aPricesCsvWithAQuotedNameHoldingACommaIsRead() {
        TradesCsv.Result r = PricesCsv.read(new ByteArrayInputStream(("symbol,name,date,price\n"
                + "MSFT,\"Microsoft, Inc.\",Jan 1 2000,39.81\n"
                + "AAPL,Apple,Jan 1 2000,25.94\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(r.malformed()).as("malformed lines").isEmpty();
        assertThat(r.trades()).hasSize(2);
    }
}
