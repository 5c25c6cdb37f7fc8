package io.quantumtrader.trader;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.state.StoreSpec;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import io.quantumtrader.trader.events.Direction;
import io.quantumtrader.trader.events.OrderFilled;
import io.quantumtrader.trader.events.OrderRejected;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.execution.PaperVenue;
import io.quantumtrader.trader.execution.PendingOrder;
import io.quantumtrader.trader.execution.VenueOutput;
import io.quantumtrader.trader.position.Position;
import io.quantumtrader.trader.risk.Account;
import io.quantumtrader.trader.risk.DeRiskState;
import io.quantumtrader.trader.risk.RiskRules;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pending entry order's life at the paper venue: it expires {@code pending-entry-expiry-candles} candles after the
 * request that placed it when no print of its symbol filled it (on the first tick of any symbol from then on), and it
 * fills on no print stamped before that request. Found in review, 2026-12-07: an entry of a symbol that never printed
 * again (halted, delisted) stayed in the {@code orders} store for ever, counting toward the gross exposure and
 * {@code max-open-positions} until a kill switch or HARD_DERISK cancelled it; and an entry filled on a late print
 * stamped before its own signal, at a price from before the decision.
 */
class PendingEntryExpiryTest {

    static final long T = 1_700_000_000_000L;
    static final long MINUTE = 60_000;

    record Outcome(List<OrderFilled> fills, List<OrderRejected> rejected, java.util.Set<String> pending,
                   java.util.Map<String, Long> counted) {
    }

    /** One ETH-USD entry placed at {@code T}, then {@code ticks} in order, each piped at its own trade time. */
    static Outcome run(RiskRules rules, PendingOrder order, PriceTick... ticks) {
        TopologyBuilder b = new TopologyBuilder("venue");
        b.addStateStore(StoreSpec.keyValueStore("orders", PendingOrder.class));
        b.addStateStore(StoreSpec.keyValueStore("account", Account.class));
        b.addStateStore(StoreSpec.keyValueStore("positions", Position.class));
        b.addStateStore(StoreSpec.keyValueStore("regimes", io.quantumtrader.trader.events.RegimeUpdate.class));
        var out = b.stream("ticks", PriceTick.class)
                .process(() -> new PaperVenueProcessor(PaperVenue.defaults(), rules), Named.as("paper-venue"),
                        "orders", "account", "positions", "regimes");
        out.flatMapValues(VenueOutput::fills, Named.as("fills")).to("fills");
        out.flatMapValues(VenueOutput::rejected, Named.as("rejections")).to("rejected");
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            driver.<String, Account>getKeyValueStore("account").put(Account.PAPER, Account.start(rules).onDay(T, false));
            driver.<String, PendingOrder>getKeyValueStore("orders").put(order.orderId(), order);
            var in = driver.createInputStream("ticks");
            for (PriceTick t : ticks) {
                in.pipeInput(t.symbol(), t, t.timestamp());
            }
            java.util.Set<String> pending = new java.util.TreeSet<>(
                    driver.<String, PendingOrder>getKeyValueStore("orders").all().keySet());
            return new Outcome(driver.createOutputStream("fills", OrderFilled.class).readValuesToList(),
                    driver.createOutputStream("rejected", OrderRejected.class).readValuesToList(), pending,
                    driver.countedRecords());
        }
    }

    static PendingOrder ethEntry(Long placedAtMs) {
        return new PendingOrder("ord-1", "req-1", "pos-1", "ETH-USD", Direction.LONG, OrderFilled.Purpose.ENTRY, 2, 90,
                130, null, "market.ticks/0-1", 100, 0, DeRiskState.NORMAL, placedAtMs);
    }

    static PriceTick btc(long at) {
        return new PriceTick("BTC-USD", 800, 1, at);
    }

    static PriceTick eth(long at) {
        return new PriceTick("ETH-USD", 101, 1, at);
    }

    @Test
    void anEntryWhoseSymbolNeverPrintsAgainExpiresOnAnotherSymbolsTick() {
        Outcome o = run(RiskRules.defaults(), ethEntry(T), btc(T + MINUTE), btc(T + 59 * MINUTE), btc(T + 60 * MINUTE));
        assertThat(o.fills()).isEmpty();
        assertThat(o.pending()).as("no longer counted toward exposure nor open positions").isEmpty();
        assertThat(o.rejected()).singleElement().satisfies(r -> {
            assertThat(r.orderId()).isEqualTo("ord-1");
            assertThat(r.reason()).isEqualTo("cancelled: expired, no print of ETH-USD filled it within 60 candles "
                    + "(3600 s) of its placement");
        });
        assertThat(o.counted()).containsEntry("paper-venue|" + PaperVenueProcessor.EXPIRED, 1L);
    }

    @Test
    void anEntryStaysPendingUntilItsExpiryAndFillsOnItsSymbolsPrintBefore() {
        Outcome waiting = run(RiskRules.defaults(), ethEntry(T), btc(T + 59 * MINUTE));
        assertThat(waiting.pending()).containsExactly("ord-1");
        assertThat(waiting.rejected()).isEmpty();
        Outcome filled = run(RiskRules.defaults(), ethEntry(T), btc(T + 30 * MINUTE), eth(T + 59 * MINUTE));
        assertThat(filled.fills()).singleElement().extracting(OrderFilled::orderId).isEqualTo("fill-ord-1");
        assertThat(filled.rejected()).isEmpty();
        Outcome late = run(RiskRules.defaults(), ethEntry(T), eth(T + 61 * MINUTE));
        assertThat(late.fills()).as("its own symbol's print after the expiry: a market order's time in force is over")
                .isEmpty();
        assertThat(late.rejected()).extracting(OrderRejected::reason).singleElement().asString().startsWith("cancelled: expired");
    }

    @Test
    void theExpiryIsARuleInCandles() {
        Outcome shorter = run(RiskRules.defaults().withPendingEntryExpiryCandles(5), ethEntry(T), btc(T + 5 * MINUTE));
        assertThat(shorter.rejected()).extracting(OrderRejected::reason)
                .containsExactly("cancelled: expired, no print of ETH-USD filled it within 5 candles (300 s) of its placement");
        assertThatThrownBy(() -> RiskRules.defaults().withPendingEntryExpiryCandles(0))
                .hasMessage("pending-entry-expiry-candles must be at least 1 candle, was 0");
    }

    @Test
    void anEntryStoredWithoutItsPlacementTimeNeverExpires() {
        Outcome o = run(RiskRules.defaults(), ethEntry(null), btc(T + 1_000 * MINUTE));
        assertThat(o.pending()).containsExactly("ord-1");
        assertThat(o.rejected()).isEmpty();
    }

    @Test
    void anEntryDoesNotFillOnALatePrintStampedBeforeItsRequest() {
        Outcome o = run(RiskRules.defaults(), ethEntry(T), eth(T - 5_000), eth(T + 2_000));
        assertThat(o.fills()).singleElement().satisfies(f -> assertThat(f.filledAt()).isEqualTo(T + 2_000));
    }

    @Test
    void theRuleIsOptionalInTheFileWithItsDefault() throws Exception {
        String file = Files.readString(Path.of("config/risk-rules.yaml"));
        assertThat(RiskRules.load(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8))).pendingEntryExpiryCandles())
                .isEqualTo(60);
        String without = file.lines().filter(l -> !l.startsWith("pending-entry-expiry-candles"))
                .reduce("", (a, l) -> a + l + "\n");
        assertThat(RiskRules.load(new ByteArrayInputStream(without.getBytes(StandardCharsets.UTF_8))).pendingEntryExpiryCandles())
                .isEqualTo(RiskRules.DEFAULT_PENDING_ENTRY_EXPIRY_CANDLES);
        String five = file.replace("pending-entry-expiry-candles: 60", "pending-entry-expiry-candles: 5");
        assertThat(RiskRules.load(new ByteArrayInputStream(five.getBytes(StandardCharsets.UTF_8))).pendingEntryExpiryCandles())
                .isEqualTo(5);
    }
}
