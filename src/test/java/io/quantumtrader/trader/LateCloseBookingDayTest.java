package io.quantumtrader.trader;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.testing.TestRecord;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.position.PositionOutput;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A close booked after the account moved to a new UTC day, on a feed's late print from before midnight, belongs to the
 * day it was booked in: in the daily P&amp;L window as in the account's daily loss (the kill switch's). Found in review
 * (2026-12-07): the close went to yesterday's window with the equity of today's bookings (yesterday's status read
 * 99,650 USD after −150 from 100,000, today's start missed the late loss), while the account counted it today.
 */
class LateCloseBookingDayTest {

    static final long DAY = 86_400_000L;
    static final long DAY2 = 1_700_000_000_000L / DAY * DAY + DAY;   // a UTC midnight

    static OrderFilled fill(String symbol, OrderFilled.Purpose purpose, double price, long at) {
        return new OrderFilled("fill-" + symbol + "-" + purpose, purpose == OrderFilled.Purpose.ENTRY ? "req-" + symbol : null,
                "pos-" + symbol, symbol, Direction.LONG, purpose, 10, price, 0, 0, at, 50, 200,
                purpose == OrderFilled.Purpose.EXIT ? ExitReason.STOP_LOSS : null);
    }

    @Test
    void aLateCloseFromBeforeMidnightBookedAfterItIsStampedOnTheBookingDay() {
        RiskRules rules = RiskRules.defaults();
        TopologyBuilder b = new TopologyBuilder("late-close");
        b.addStateStore(StoreSpec.keyValueStore("account", Account.class));
        b.addStateStore(StoreSpec.keyValueStore("positions", Position.class));
        b.addStateStore(StoreSpec.keyValueStore("orders", PendingOrder.class));
        b.addStateStore(StoreSpec.keyValueStore("regimes", RegimeUpdate.class));
        b.stream("venue", VenueOutput.class)
                .process(() -> new PositionStateProcessor(rules), Named.as("position-state"), "positions", "account", "regimes", "orders")
                .flatMapValues(PositionOutput::closed, Named.as("closed")).to("closed");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            var venue = driver.createInputStream("venue");
            for (String symbol : List.of("BTC-USD", "ETH-USD")) {   // both opened at 22:00 on day 1
                OrderFilled f = fill(symbol, OrderFilled.Purpose.ENTRY, 100, DAY2 - 7_200_000);
                venue.pipeInput(symbol, new VenueOutput(new PriceTick(symbol, 100, 1, f.filledAt()), List.of(f), List.of()), f.filledAt());
            }
            // BTC closes at 00:00:02 on day 2 (the account moves to day 2); ETH's exit fills on a print stamped 23:59:58
            OrderFilled btc = fill("BTC-USD", OrderFilled.Purpose.EXIT, 80, DAY2 + 2_000);
            venue.pipeInput("BTC-USD", new VenueOutput(new PriceTick("BTC-USD", 80, 1, btc.filledAt()), List.of(btc), List.of()), btc.filledAt());
            OrderFilled eth = fill("ETH-USD", OrderFilled.Purpose.EXIT, 95, DAY2 - 2_000);
            venue.pipeInput("ETH-USD", new VenueOutput(new PriceTick("ETH-USD", 95, 1, eth.filledAt()), List.of(eth), List.of()), eth.filledAt());

            List<TestRecord<PositionClosed>> closed = driver.createOutputStream("closed", PositionClosed.class).readRecordsToList();
            assertThat(closed).extracting(c -> c.value().symbol()).containsExactly("BTC-USD", "ETH-USD");
            assertThat(closed.get(1).value().closedAt()).as("the fill keeps its print's time").isEqualTo(DAY2 - 2_000);
            assertThat(closed.get(1).timestamp()).as("booked on day 2: the daily window files it there").isEqualTo(DAY2);
            Account account = driver.<String, Account>getKeyValueStore("account").get(Account.PAPER);
            assertThat(account.dayStartMs()).isEqualTo(DAY2);
            assertThat(account.dailyRealizedUsd()).as("the account's day counted both closes").isEqualTo(-250.0);
        }
    }
}
