package io.quantumtrader.trader.market;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): a prices CSV's date in the compact ISO form {@code 20000103} (Stooq's and many vendors' exports)
 * is all digits, so {@link PricesCsv#epochMillis} reads it as epoch seconds: a bar of 2000-01-03 becomes a tick on
 * 1970-08-20 11:01:43 UTC, silently (neither a 2000 date nor reported malformed). The class documents the date
 * forms it takes and that anything else is reported; and every bar is "one tick at 00:00 UTC of its date".
 */
class PricesCsvCompactDateTest {

    private static final long JAN_3_2000 = 946_857_600_000L;

    @Test
    void aCompactDateIsReadAsThatDateOrReportedNeverAsA1970Timestamp() {
        TradesCsv.Result r = PricesCsv.read(new ByteArrayInputStream(
                "symbol,date,close\nIBM,20000103,111.94\n".getBytes(StandardCharsets.UTF_8)));
        boolean readAsTheDate = r.ticks().size() == 1 && r.ticks().get(0).timestamp() == JAN_3_2000;
        boolean reported = r.ticks().isEmpty() && r.malformed().size() == 1;
        assertThat(readAsTheDate || reported)
                .as("20000103 read as %s, malformed %s", r.ticks().isEmpty() ? "nothing"
                        : java.time.Instant.ofEpochMilli(r.ticks().get(0).timestamp()), r.malformed())
                .isTrue();
    }
}
