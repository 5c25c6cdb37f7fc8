package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Candle;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.regime.RegimeRules;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07, multi-symbol replay): a symbol's candles depend on the other symbols of its partition. A
 * genuine 15 % jump of AAA at hh:mm:50 is held by the price band and confirmed by AAA's next print 40 s later, in the
 * next minute; it is then released with its own trade time. Alone (or alone in its partition: 4 partitions), it goes
 * into its minute's candle. With CCC printing every 2 s in the same task (one partition, the default catalog), CCC's
 * prints moved the candle node's stream time past that minute's end + 5 s grace, so the released print is dropped as
 * late and AAA's candle closes at 100 instead of 115. The same file of AAA gives other candles depending on which
 * symbols share its partition (the replay on 1 and on 4 partitions: "late ticks dropped 1" vs 0).
 */
class HeldUpstreamWindowTest {

    private static final long T0 = 1_700_000_040_000L;   // a minute boundary

    private static List<PriceTick> aaa() {
        List<PriceTick> out = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            long t = T0 + i * 30_000L;
            if (t == T0 + 1_860_000L) {
                continue;   // no AAA print between the jump and its confirmation
            }
            out.add(new PriceTick("AAA", t < T0 + 1_850_000L ? 100.0 : 115.0, 1, t));
        }
        out.add(new PriceTick("AAA", 115.0, 1, T0 + 1_850_000L));   // the jump, in window [T0+30m, T0+31m)
        out.sort(Comparator.comparingLong(PriceTick::timestamp));
        return out;
    }

    private static List<Candle> candlesOfAaa(List<PriceTick> ticks) {
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build(RegimeRules.defaults()))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            var candles = driver.createOutputStream(QuantumTraderTopology.CANDLES, Candle.class);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            return candles.readValuesToList().stream().filter(c -> c.symbol().equals("AAA")).toList();
        }
    }

    @Test
    void aSymbolsCandlesDoNotDependOnTheOtherSymbolsOfItsPartition() {
        List<PriceTick> alone = aaa();
        List<PriceTick> withCcc = new ArrayList<>(alone);
        for (int i = 0; i < 1_800; i++) {
            withCcc.add(new PriceTick("CCC", 50.0 + (i % 2) * 0.01, 1, T0 + i * 2_000L + 1_000));
        }
        withCcc.sort(Comparator.comparingLong(PriceTick::timestamp).thenComparing(PriceTick::symbol));
        List<Candle> a = candlesOfAaa(alone);
        Candle jumpAlone = a.stream().filter(c -> c.windowStart() == T0 + 1_800_000L).findFirst().orElseThrow();
        assertThat(jumpAlone.close()).as("AAA alone: the confirmed jump is in its minute's candle").isEqualTo(115.0);
        Candle jumpWithCcc = candlesOfAaa(withCcc).stream().filter(c -> c.windowStart() == T0 + 1_800_000L).findFirst().orElseThrow();
        assertThat(jumpWithCcc).as("AAA's candle of the jump's minute with CCC in the same partition vs AAA alone").isEqualTo(jumpAlone);
    }
}
