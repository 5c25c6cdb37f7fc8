package io.quantumtrader.trader.market;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Found in review of this session's fixes (2026-12-07, 17c69583): a double quote inside an unquoted field (not at its start) is a literal, as CSV readers take it. */
class StrayQuoteTest {

    @Test
    void aQuoteInsideAnUnquotedFieldDoesNotSwallowTheRestOfTheLine() {
        TradesCsv.Result r = TradesCsv.read(new ByteArrayInputStream(("timestamp,price,amount,note\n"
                + "1385337600,800.01,0.1,27\" screen\n"
                + "1385337613,800.05,0.27,ok\n").getBytes(StandardCharsets.UTF_8)), "BTC-USD");
        assertThat(r.malformed()).as("malformed lines").isEmpty();
        assertThat(r.trades()).hasSize(2);
    }

    @Test
    void aPricesCsvNameWithAnInchMarkIsRead() {
        TradesCsv.Result r = PricesCsv.read(new ByteArrayInputStream(("symbol,name,date,price\n"
                + "PIPE,12\" Pipe Co,Jan 1 2000,39.81\n"
                + "AAPL,Apple,Jan 1 2000,25.94\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(r.malformed()).as("malformed lines").isEmpty();
        assertThat(r.trades()).hasSize(2);
    }
}
