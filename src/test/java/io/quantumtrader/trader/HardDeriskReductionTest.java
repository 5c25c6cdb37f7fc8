package io.quantumtrader.trader;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.ExitDecision;
import io.quantumtrader.trader.events.ExitReason;
import io.quantumtrader.trader.events.KillSwitch;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.PositionClosed;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.events.RegimeUpdate;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.exit.ExitBrain;
import io.quantumtrader.trader.position.OpenPosition;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.position.PositionOutput;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * HARD_DERISK's "reduce to the cap" (DESIGN §7) with position state and the exit brain running for real in a test
 * driver on the shared stores: the book is reduced partially, the first position to tick first, until its gross entry
 * notional is at the cap — not closed whole (found in review, 2026-12-06: every position over the cap was closed).
 * A 100,000 USD account, a 60 % gross cap, HARD_DERISK from 2 % drawdown, no kill switch in the way.
 */
class HardDeriskReductionTest {

    static final long T0 = 1_700_000_000_000L / 86_400_000L * 86_400_000L + 3_600_000;   // 01:00 UTC
    static final RiskRules RULES = RiskRules.of(100_000, 1.0, 50.0, 50.0, 5, 60.0, 20, false).withDerisk(0, 2.0, false);

    /** Position state and the exit brain over the portfolio's stores. */
    static final class Book implements AutoCloseable {
        final TopologyTestDriver driver;

        Book() {
            TopologyBuilder b = new TopologyBuilder("reduce");
            b.addStateStore(StoreSpec.keyValueStore("account", Account.class));
            b.addStateStore(StoreSpec.keyValueStore("positions", Position.class));
            b.addStateStore(StoreSpec.keyValueStore("orders", PendingOrder.class));
            b.addStateStore(StoreSpec.keyValueStore("regimes", RegimeUpdate.class));
            b.stream("venue", VenueOutput.class)
                    .process(() -> new PositionStateProcessor(RULES), Named.as("position-state"), "positions", "account", "regimes", "orders")
                    .flatMapValues(PositionOutput::closed, Named.as("closed")).to("closed");
            b.stream("at-tick", OpenPosition.AtTick.class)
                    .process(() -> new ExitBrainProcessor(ExitBrain.defaults(), RULES), Named.as("exit-brain"),
                            "positions", "orders", "account", "regimes")
                    .to("exits");
            driver = new TopologyTestDriver(b.build());
        }

        /** A tick of {@code symbol} at {@code price}: position state (with {@code fills}), then the exit brain. */
        void tick(String symbol, double price, long at, OrderFilled... fills) {
            PriceTick t = new PriceTick(symbol, price, 1, at);
            driver.createInputStream("venue").pipeInput(symbol, new VenueOutput(t, List.of(fills), List.of()), at);
            driver.createInputStream("at-tick").pipeInput(symbol, new OpenPosition.AtTick(t, position(symbol)), at);
        }

        /** Opens LONG 10 BTC at 10,000 (100,000 USD) at T0 and LONG 100 ETH at 300 (30,000 USD) a second later. */
        void openTenBtcAndHundredEth() {
            tick("BTC-USD", 10_000, T0, entry("BTC-USD", 10, 10_000, T0));
            tick("ETH-USD", 300, T0 + 1_000, entry("ETH-USD", 100, 300, T0 + 1_000));
        }

        static OrderFilled entry(String symbol, double size, double price, long at) {
            return new OrderFilled("fill-" + symbol, "req-" + symbol, "pos-" + symbol, symbol, Direction.LONG,
                    OrderFilled.Purpose.ENTRY, size, price, price * size * 0.001, 0, at, price * 0.5, price * 2, null);
        }

        static OrderFilled exit(PendingOrder o, double price, long at) {
            return new OrderFilled("fill-" + o.orderId(), null, o.positionId(), o.symbol(), o.direction(),
                    OrderFilled.Purpose.EXIT, o.size(), price, price * o.size() * 0.001, 0, at, 0, 0, ExitReason.valueOf(o.reason()));
        }

        Position position(String symbol) {
            return driver.<String, Position>getKeyValueStore("positions").get(symbol);
        }

        /** @return the exit order pending for {@code symbol}'s position, or null */
        PendingOrder exitOrder(String symbol) {
            return driver.<String, PendingOrder>getKeyValueStore("orders").all().values().stream()
                    .filter(o -> o.purpose() == OrderFilled.Purpose.EXIT && o.positionId().equals("pos-" + symbol))
                    .findFirst().orElse(null);
        }

        Account account() {
            return driver.<String, Account>getKeyValueStore("account").get(Account.PAPER);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    @Test
    void hardDeriskReducesTheFirstPositionToTickPartiallyDownToTheCap() {
        try (Book book = new Book()) {
            book.openTenBtcAndHundredEth();
            // BTC 3 % down: marked equity 96,870 (3.1 % drawdown): HARD_DERISK; 130,000 open against a 60,000 cap
            book.tick("ETH-USD", 300, T0 + 2_000);
            book.tick("BTC-USD", 9_700, T0 + 3_000);
            assertThat(book.account().deRisk()).isEqualTo(DeRiskState.HARD_DERISK);
            PendingOrder btc = book.exitOrder("BTC-USD");
            assertThat(btc).as("the first position to tick in HARD_DERISK is reduced").isNotNull();
            assertThat(btc.reason()).isEqualTo("DERISK_REDUCE");
            assertThat(btc.orderId()).as("a partial reduction's order is named by its tick and the size it reduces")
                    .isEqualTo("exit-pos-BTC-USD@" + (T0 + 3_000) + "/10.0");
            // 70,000 USD of entry notional over the cap, and the reduction's own loss lowers the cap: a BTC closed at
            // 9,700 less 5 bps slippage loses 304.85 + 10 (its share of the entry fee) + 9.70 (exit fee) = 324.55 USD,
            // 0.6 x that off the cap, so q x (10,000 - 0.6 x 324.55) >= 70,000 + 0.003 (what the booking's rounding of
            // its P&L may take off the cap: 0.6 x 0.00505): 7.139017 of its 10 BTC, not all 10 (7.139016 without that
            // allowance, until 2026-12-06: OneTickDifferentialTest.aReductionFilledAtThePriceItWasDecidedOn...)
            // (7 before 2026-12-06: the fill's loss left the book over the lowered cap and the next tick reduced again)
            assertThat(btc.size()).isCloseTo(7.139017, within(1e-9));

            // ETH's tick: the BTC reduction pending brings the book to the cap, so ETH is kept
            book.tick("ETH-USD", 300, T0 + 4_000);
            assertThat(book.exitOrder("ETH-USD")).isNull();
            assertThat(book.position("ETH-USD").closing()).isFalse();

            // the reduction fills: a position.closed of the 7.139017 BTC, the rest stays open with its share of the fee
            book.tick("BTC-USD", 9_700, T0 + 5_000, Book.exit(btc, 9_700, T0 + 5_000));
            var closedStream = book.driver.createOutputStream("closed", PositionClosed.class);
            List<PositionClosed> closed = closedStream.readValuesToList();
            assertThat(closed).singleElement().satisfies(c -> {
                assertThat(c.size()).isCloseTo(7.139017, within(1e-9));
                assertThat(c.exitReason()).isEqualTo(ExitReason.DERISK_REDUCE);
                // (9,700 - 10,000) x 7.139017 - 71.39 (its share of the 100 USD entry fee) - 69.25 (exit fee) = -2,282.34
                assertThat(c.realizedPnl()).isCloseTo(-2_282.34, within(0.005));
                assertThat(c.partial()).as("a part: the position stays open, no trade counted yet").isTrue();
                assertThat(c.remainingSize()).isCloseTo(2.860983, within(1e-9));
                assertThat(c.positionRealizedPnl()).isCloseTo(-2_282.34, within(0.005));
            });
            Position rest = book.position("BTC-USD");
            assertThat(rest.size()).isCloseTo(2.860983, within(1e-9));
            assertThat(rest.entryFeeUsd()).isCloseTo(28.60983, within(1e-9));
            assertThat(rest.closing()).isFalse();
            assertThat(book.account().openPositions()).isEqualTo(2);
            assertThat(book.account().grossExposureUsd()).as("2.860983 BTC + 100 ETH at entry").isCloseTo(58_609.83, within(1e-6));
            assertThat(book.account().equityUsd()).isCloseTo(100_000 - 2_282.34, within(0.005));
            assertThat(book.account().grossExposureUsd()).as("within the cap of the equity after the fill's loss")
                    .isLessThanOrEqualTo(book.account().equityUsd() * 0.6);

            // the next BTC print at the same price reduces no more: one reduction, no chain (before 2026-12-06 the
            // 2,237.90 USD the 7 BTC lost took the cap to 58,657.26 under the 60,000 left open, and this tick reduced
            // 0.134274 BTC more, the next ones less and less)
            book.driver.<String, PendingOrder>getKeyValueStore("orders").delete(btc.orderId());   // filled (no venue here)
            book.tick("BTC-USD", 9_700, T0 + 5_500);
            assertThat(book.exitOrder("BTC-USD")).isNull();

            // the rest closes at its take profit: the position's last close, not partial, with its P&L over both parts
            book.tick("BTC-USD", 20_000, T0 + 6_000);
            PendingOrder target = book.exitOrder("BTC-USD");
            assertThat(target.reason()).isEqualTo("TAKE_PROFIT");
            book.tick("BTC-USD", 20_000, T0 + 7_000, Book.exit(target, 20_000, T0 + 7_000));
            assertThat(closedStream.readValuesToList()).singleElement().satisfies(c -> {
                assertThat(c.positionId()).isEqualTo("pos-BTC-USD");
                assertThat(c.size()).isCloseTo(2.860983, within(1e-9));
                // (20,000 - 10,000) x 2.860983 - 28.61 (the rest's entry fee) - 57.22 (exit fee) = 28,524.00
                assertThat(c.realizedPnl()).isCloseTo(28_524.00, within(0.005));
                assertThat(c.partial()).isFalse();
                assertThat(c.remainingSize()).isZero();
                assertThat(c.positionRealizedPnl()).as("-2,282.34 + 28,524.00").isCloseTo(26_241.66, within(0.005));
            });
        }
    }

    /**
     * The larger position's symbol stops trading (a halt, a feed gap) once HARD_DERISK began: the smaller one, which
     * trades, carries the excess as far as it can. A rule that took the excess from the largest position first waited
     * for its tick and kept the book over the cap meanwhile (review of 2026-12-06).
     */
    @Test
    void aPositionThatTradesIsReducedWhileALargerOneDoesNot() {
        try (Book book = new Book()) {
            book.openTenBtcAndHundredEth();
            // ETH's fall alone brings HARD_DERISK (ETH 300 -> 200: -10,000 marked, 10 % drawdown), BTC does not trade
            book.tick("ETH-USD", 200, T0 + 2_000);
            assertThat(book.account().deRisk()).isEqualTo(DeRiskState.HARD_DERISK);
            PendingOrder eth = book.exitOrder("ETH-USD");
            assertThat(eth).as("ETH trades: reduced now, though BTC is larger").isNotNull();
            assertThat(eth.reason()).isEqualTo("DERISK_REDUCE");
            assertThat(eth.size()).as("130,000 open against a 60 % cap of 100,000 realized equity: 70,000 over; ETH holds "
                    + "30,000 of it, all closed").isCloseTo(100, within(1e-9));
            assertThat(eth.orderId()).as("the whole position: the plain exit id").isEqualTo("exit-pos-ETH-USD");
            assertThat(book.exitOrder("BTC-USD")).isNull();
        }
    }

    /**
     * Two reductions decided on ticks of one millisecond — the first filled by the second tick at a far lower price than
     * the one it was sized at, so its loss lowers the cap more than it allowed for and the second tick reduces once
     * more — keep ids of their own. Named by the tick alone, both were
     * {@code exit-pos-BTC-USD@<ms>}, and so were their fills on {@code trades.order.filled} (found in review,
     * 2026-12-06, by a random HARD_DERISK probe); now the id also names the size the order reduces.
     */
    @Test
    void twoReductionsOnTicksOfOneMillisecondHaveIdsOfTheirOwn() {
        try (Book book = new Book()) {
            book.openTenBtcAndHundredEth();
            book.tick("ETH-USD", 300, T0 + 2_000);
            book.tick("BTC-USD", 9_700, T0 + 3_000);
            PendingOrder first = book.exitOrder("BTC-USD");
            assertThat(first.size()).isCloseTo(7.139017, within(1e-9));

            // the next BTC print, in the same millisecond, at 8,000, fills it: 14,406.54 USD lost, the 60 % cap falls to
            // 51,356.08, below the 58,609.83 USD left open, and this tick reduces again
            book.driver.<String, PendingOrder>getKeyValueStore("orders").delete(first.orderId());   // filled (no venue here)
            book.tick("BTC-USD", 8_000, T0 + 3_000, Book.exit(first, 8_000, T0 + 3_000));
            PendingOrder second = book.exitOrder("BTC-USD");
            assertThat(second).as("a second reduction on the same millisecond").isNotNull();
            assertThat(second.reason()).isEqualTo("DERISK_REDUCE");
            assertThat(second.orderId()).isNotEqualTo(first.orderId())
                    .startsWith("exit-pos-BTC-USD@" + (T0 + 3_000) + "/");
        }
    }

    /**
     * Two reductions in a row: ETH's, the whole of ETH, is pending when BTC ticks and carries the rest of the excess.
     * ETH's own loss (about 10,060 USD at 200) lowers the cap too (0.6 x of it), so BTC's reduction must count it, or
     * after both fills the book is over the lowered cap by about 6,000 USD and BTC's next tick reduces again: a chain
     * (found in review, 2026-12-06, of the fix that sized one reduction with its own loss only).
     */
    @Test
    void aReductionCountsTheLossOfTheReductionsPendingSoBothFillsLeaveTheBookAtTheCap() {
        try (Book book = new Book()) {
            book.openTenBtcAndHundredEth();
            book.tick("ETH-USD", 200, T0 + 2_000);
            PendingOrder eth = book.exitOrder("ETH-USD");
            assertThat(eth.size()).isCloseTo(100, within(1e-9));
            book.tick("BTC-USD", 10_000, T0 + 3_000);
            PendingOrder btc = book.exitOrder("BTC-USD");
            assertThat(btc).isNotNull();
            book.tick("ETH-USD", 200, T0 + 4_000, Book.exit(eth, 200, T0 + 4_000));
            book.driver.<String, PendingOrder>getKeyValueStore("orders").delete(eth.orderId());   // filled (no venue here)
            book.tick("BTC-USD", 10_000, T0 + 5_000, Book.exit(btc, 10_000, T0 + 5_000));
            book.driver.<String, PendingOrder>getKeyValueStore("orders").delete(btc.orderId());
            assertThat(book.account().grossExposureUsd()).as("at the cap of the equity after both fills' losses")
                    .isLessThanOrEqualTo(book.account().equityUsd() * 0.6 + 0.01);
            book.tick("BTC-USD", 10_000, T0 + 6_000);
            assertThat(book.exitOrder("BTC-USD")).as("no second reduction").isNull();
        }
    }
}
