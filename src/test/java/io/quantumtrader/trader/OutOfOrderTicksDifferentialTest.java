package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.reference.IndependentReference;
import io.quantumtrader.trader.regime.RegimeRules;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A feed's prints arriving out of order (a live feed's usual disorder, a few seconds), through the whole topology in
 * the test driver and through {@code IndependentReference}: the same fills and closed positions, and the same counts of
 * orders cancelled and re-sized by node and reason. A candle's open and
 * close are its first and last prints by trade time (docs/TRADING-PIPELINE.md, {@code CandleBuilder}), wherever a print
 * arrives. Found in review, 2026-12-06: the reference built its candles in arrival order (and, before that, its price
 * band held every print stamped before its reference print), so an out-of-order print moved its closes, ATRs, stops
 * and targets and the two disagreed; the bundled Bitstamp ticks are in order, so no differential test saw it.
 */
class OutOfOrderTicksDifferentialTest {

    /** The first 30,000 Bitstamp ticks, and after every 97th a print 0.2 % higher stamped 3 s before it. */
    static List<PriceTick> ticks() {
        List<PriceTick> out = new ArrayList<>();
        List<PriceTick> real = TradingFixtures.realTicks(30_000);
        for (int i = 0; i < real.size(); i++) {
            PriceTick t = real.get(i);
            out.add(t);
            if (i % 97 == 96) {
                out.add(new PriceTick(t.symbol(), Math.round(t.price() * 1.002 * 100) / 100.0, 0.01, t.timestamp() - 3_000));
            }
        }
        return out;
    }

    @Test
    void printsArrivingOutOfOrderTradeTheSameInThePipelineAndTheReference() throws Exception {
        Path file = Path.of("config/risk-rules.yaml");
        RiskRules rules;
        try (var in = Files.newInputStream(file)) {
            rules = RiskRules.load(in);
        }
        List<PriceTick> ticks = ticks();
        IndependentReference reference = TradingFixtures.ran(new IndependentReference(IndependentReference.Rules.fromYaml(file)), ticks);
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build(RegimeRules.defaults(), rules))) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            ticks.forEach(t -> in.pipeInput(t.symbol(), t, t.timestamp()));
            driver.endInput(QuantumTraderTopology.TICKS);
            List<OrderFilled> fills = driver.createOutputStream(QuantumTraderTopology.FILLS, OrderFilled.class).readValuesToList();
            List<PositionClosed> closed = driver.createOutputStream(QuantumTraderTopology.CLOSED, PositionClosed.class).readValuesToList();
            assertThat(reference.closed).as("the reference traded").hasSizeGreaterThan(5);
            assertThat(reference.refusedTicks).as("no print refused").isEmpty();
            assertThat(fills).isEqualTo(reference.fills);
            assertThat(closed).isEqualTo(reference.closed);
            assertThat(TradingFixtures.countedOrders(driver)).as("orders cancelled and re-sized, counted by node|reason")
                    .isEqualTo(reference.counted);
        }
    }
}
