package io.quantumtrader.trader;

import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.DailyStatus;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.PositionClosed;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08, hostile input, round 2): position.closed is a source (the reporting sub-topology's daily P&L window). A
 * PositionClosed has no checks, and JSON "NaN" / "Infinity" as strings decode into a double, so one foreign entry
 * with realized_pnl "NaN" poisons the day's window aggregate: every later daily status of that day reports a
 * realized P&L of 0.00 and a daily loss of 0 % (Math.round(NaN) = 0), hiding the real losses.
 */
class NonFiniteClosedPositionTest {

    static PositionClosed closed(String id, double pnl, long at) {
        return new PositionClosed(id, "paper", "BTC-USD", Direction.LONG, 1, 800, 790, pnl, 1, 60_000,
                ExitReason.STOP_LOSS, at - 60_000, at, 100_000 + pnl);
    }

    /** @return {@code valid} as a foreign client may write it: its realized P&amp;L the JSON string "NaN" */
    @SuppressWarnings("unchecked")
    static java.util.Map<String, String> forged(PositionClosed valid) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            java.util.Map<String, Object> data = new java.util.LinkedHashMap<>(json.readValue(
                    new io.quantumtrader.streams.record.JsonSerde<>(PositionClosed.class).serialize(valid), java.util.Map.class));
            String field = data.containsKey("realized_pnl") ? "realized_pnl" : "realizedPnl";
            data.put(field, "NaN");
            return io.quantumtrader.streams.record.CloudEventJson.flatten(io.quantumtrader.streams.record.EnvelopeCodec.encode(
                    QuantumTraderTopology.CLOSED, "foreign", "forged-close", valid.symbol(), data, valid.closedAt(), null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClosedPositionWithANonFiniteRealizedPnlDoesNotPoisonTheDaysStatus() {
        long day = Instant.parse("2013-11-25T00:00:00Z").toEpochMilli();
        try (TopologyTestDriver driver = new TopologyTestDriver(QuantumTraderTopology.build())) {
            TestInputStream<PositionClosed> in = driver.createInputStream(QuantumTraderTopology.CLOSED);
            in.pipeInput("BTC-USD", closed("pos-1", -1_000, day + 3_600_000), day + 3_600_000);
            in.pipeEntry(forged(closed("pos-forged", -100, day + 7_200_000)));
            in.pipeInput("BTC-USD", closed("pos-2", -500, day + 10_800_000), day + 10_800_000);
            List<DailyStatus> statuses = driver.createOutputStream(QuantumTraderTopology.DAILY_STATUS, DailyStatus.class)
                    .readValuesToList();
            assertThat(statuses).as("daily statuses").isNotEmpty();
            assertThat(statuses.get(statuses.size() - 1).realizedPnl())
                    .as("the day's realized P&L after closes of -1,000 and -500 USD and one forged NaN close")
                    .isEqualTo(-1_500.0);
            assertThat(driver.deadLetters(QuantumTraderTopology.CLOSED)).as("the forged close, dead-lettered").hasSize(1);
        }
    }
}
