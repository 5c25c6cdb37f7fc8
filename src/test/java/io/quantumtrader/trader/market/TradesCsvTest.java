package io.quantumtrader.trader.market;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TradesCsvTest {

    @Test
    void readsTheBundledBitstampFile() throws Exception {
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            TradesCsv.Result r = TradesCsv.read(in, "BTC-USD");
            assertThat(r.malformed()).isEmpty();
            assertThat(r.ticks()).hasSize(100_000);
            assertThat(r.ticks().get(0).price()).isEqualTo(800.01);
            assertThat(r.ticks().get(0).timestamp()).isEqualTo(1_385_337_600_000L);
        }
    }

    @Test
    void reportsMalformedLinesWithTheirNumbers() {
        String csv = "timestamp,price,amount\n1,10.5,2\nnot,a,number\n2,11\n3,-4,1\n4,12,0.5\n";
        TradesCsv.Result r = TradesCsv.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "X");
        assertThat(r.ticks()).extracting(t -> t.price()).containsExactly(10.5, 12.0);
        assertThat(r.malformed()).extracting(TradesCsv.Malformed::lineNumber).containsExactly(3, 4, 5);
        assertThat(r.malformed().get(1).reason()).contains("expected 3 fields");
        assertThat(r.malformed().get(2).reason()).contains("price must be a positive number");
    }
}
