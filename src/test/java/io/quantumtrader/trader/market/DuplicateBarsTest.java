package io.quantumtrader.trader.market;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): a prices CSV holds one close per symbol and date (PricesCsv's javadoc: "bars: one close per symbol and
 * period"). Two overlapping downloads concatenated give a symbol two different closes for one date; both are replayed
 * as ticks at the same instant, without a word.
 */
class DuplicateBarsTest {

    @Test
    void aSecondCloseForOneSymbolAndDateIsReportedNotReplayedSilently() {
        TradesCsv.Result r = PricesCsv.read(new ByteArrayInputStream(("symbol,date,price\n"
                + "MSFT,2000-01-03,39.81\n"
                + "MSFT,2000-01-04,38.10\n"
                + "MSFT,2000-01-03,58.28\n").getBytes(StandardCharsets.UTF_8)));
        long ticksOnJan3 = r.trades().stream().filter(t -> t.tick().timestamp() == 946857600000L).count();
        assertThat(ticksOnJan3 == 1 || !r.malformed().isEmpty())
                .as("MSFT 2000-01-03 read %d times, %d lines reported", ticksOnJan3, r.malformed().size()).isTrue();
    }
}
