package io.quantumtrader.app;

import io.quantumtrader.trader.events.Candle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayChartTest {

    @Test
    void theTimeAxisShowsTheYearWhenTheSpanExceedsAYear() {
        assertThat(ReplayChart.datePattern(Duration.ofDays(7).toMillis())).isEqualTo("MM-dd HH:mm");
        assertThat(ReplayChart.datePattern(Duration.ofDays(90).toMillis())).isEqualTo("MM-dd");
        assertThat(ReplayChart.datePattern(Duration.ofDays(366).toMillis())).contains("yyyy");
        assertThat(ReplayChart.datePattern(Duration.ofDays(365L * 20).toMillis())).contains("yyyy");
    }

    @Test
    void titlesNameTheReplayedSymbols() {
        Candle eth = new Candle("ETH-USD", 0, 60_000, 1, 1, 1, 1, 1, 1);
        Candle sp = new Candle("SPX", 0, 60_000, 1, 1, 1, 1, 1, 1);
        assertThat(ReplayChart.symbols(List.of(eth, eth))).isEqualTo("ETH-USD");
        assertThat(ReplayChart.symbols(List.of(sp, eth))).isEqualTo("ETH-USD, SPX");
        assertThat(ReplayChart.symbols(List.of())).isEqualTo("(no candles)");
    }
}
