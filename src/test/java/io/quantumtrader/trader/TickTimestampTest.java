package io.quantumtrader.trader;

import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PositionOpened;
import io.quantumtrader.trader.events.PriceTick;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): the ingest guard checks the envelope's event time (future_event_time) but not the tick's own timestamp, which
 * PriceTick documents as "also the envelope's event time". One tick entry with a valid envelope (time, subject, price
 * all plausible) whose data says 2099 is accepted, and the exit brain, which reads tick.timestamp(), takes the open
 * position's hold as 86 years: TIME_EXIT at once.
 */
class TickTimestampTest {

    static final long Y2099 = 4_070_908_800_000L;

    record Run(List<PositionOpened> opened, List<PositionClosed> closed) {
    }

    static Run run(List<PriceTick> ticks, int hostileAfter) {
        try (TopologyTestDriver driver = TradingFixtures.alignedDriver(QuantumTraderTopology.build())) {
            TestInputStream<PriceTick> in = driver.createInputStream(QuantumTraderTopology.TICKS);
            for (int i = 0; i < ticks.size(); i++) {
                PriceTick t = ticks.get(i);
                in.pipeInput(t.symbol(), t, t.timestamp());
                if (i == hostileAfter) {
                    PriceTick hostile = new PriceTick(t.symbol(), t.price(), 0.01, Y2099);
                    Map<String, String> entry = CloudEventJson.flatten(EnvelopeCodec.encode(QuantumTraderTopology.TICKS,
                            "feed", "hostile-1", t.symbol(), hostile, t.timestamp(), "hostile-1"));
                    in.pipeEntry(entry);
                }
            }
            driver.endInput(QuantumTraderTopology.TICKS);
            return new Run(driver.createOutputStream(QuantumTraderTopology.OPENED, PositionOpened.class).readRecordsToList()
                    .stream().map(r -> r.value()).toList(),
                    driver.createOutputStream(QuantumTraderTopology.CLOSED, PositionClosed.class).readRecordsToList()
                            .stream().map(r -> r.value()).toList());
        }
    }

    @Test
    void aTickWhoseDataTimestampIsIn2099DoesNotCloseAnOpenPosition() {
        List<PriceTick> ticks = TradingFixtures.realTicks(30_000);   // the first close is within them (2 runs of 100,000 took 100-240 s)
        Run clean = run(ticks, -1);
        assertThat(clean.closed()).as("the clean run closes a position").isNotEmpty();
        PositionClosed first = clean.closed().get(0);
        // a tick while the first position is open, a minute after it opened
        int at = -1;
        for (int i = 0; i < ticks.size(); i++) {
            if (ticks.get(i).timestamp() > first.openedAt() + 60_000 && ticks.get(i).timestamp() < first.closedAt()) {
                at = i;
                break;
            }
        }
        assertThat(at).as("a tick while the position is open").isGreaterThanOrEqualTo(0);
        Run hostile = run(ticks, at);
        PositionClosed firstHostile = hostile.closed().get(0);
        assertThat(firstHostile.exitReason()).as("exit reason of the first position").isEqualTo(first.exitReason());
        assertThat(firstHostile.closedAt()).as("its close time").isEqualTo(first.closedAt());
    }
}
