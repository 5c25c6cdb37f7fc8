package io.quantumtrader.trader.events;

import io.quantumtrader.streams.record.JsonSerde;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events written by the release before a field was added still decode (an upgrade reads what the previous release
 * wrote and nobody consumed yet). Found in review (2026-12-06): {@code position.closed}'s {@code partial} and
 * {@code remaining_size} and {@code exit.decision.made}'s {@code quantity} and {@code notional_usd} were primitives,
 * which the serde refuses when absent ({@code FAIL_ON_NULL_FOR_PRIMITIVES}): the reporting stage dead-lettered every
 * close the previous release had written, and the day's P&amp;L missed them. The JSON here is what 41f2a19 wrote.
 */
class EventsWrittenBeforeTest {

    @Test
    void aPositionClosedWithoutThePartialFieldsReadsAsAWholeClose() {
        String before = "{\"position_id\":\"pos-1\",\"account\":\"paper\",\"symbol\":\"BTC-USD\",\"direction\":\"LONG\","
                + "\"size\":2.0,\"entry_price\":800.0,\"exit_price\":810.0,\"realized_pnl\":17.5,\"fees_usd\":2.5,"
                + "\"hold_duration_ms\":60000,\"exit_reason\":\"TAKE_PROFIT\",\"opened_at\":1000,\"closed_at\":61000,"
                + "\"equity_usd\":100017.5}";
        PositionClosed closed = new JsonSerde<>(PositionClosed.class).deserialize(before);
        assertThat(closed.partial()).isFalse();
        assertThat(closed.remainingSize()).isZero();
        assertThat(closed.positionRealizedPnl()).isEqualTo(17.5);
        assertThat(closed).isEqualTo(new PositionClosed("pos-1", "paper", "BTC-USD", Direction.LONG, 2.0, 800.0, 810.0,
                17.5, 2.5, 60_000, ExitReason.TAKE_PROFIT, 1_000, 61_000, 100_017.5));
    }

    @Test
    void anExitDecisionWithoutItsQuantityReadsItAsUnknown() {
        String before = "{\"position_id\":\"pos-1\",\"symbol\":\"BTC-USD\",\"reason\":\"STOP_LOSS\",\"trigger_price\":790.0,"
                + "\"decided_at\":5000}";
        ExitDecision decision = new JsonSerde<>(ExitDecision.class).deserialize(before);
        assertThat(decision.quantity()).isZero();
        assertThat(decision.notionalUsd()).isZero();
        assertThat(decision.auditSummary()).isEqualTo("STOP_LOSS at 790.0");
    }
    /**
     * The price band's state as written before a level refused unconfirmed counted its confirmations (2026-12-06, the
     * {@code agreeing} prints): read with none counted yet, so the level and its next agreeing print work as before.
     */
    @Test
    void aPriceBandStateWithoutTheLevelsConfirmationsReadsAsNoneYet() {
        String before = "{\"reference\":100.0,\"reference_at\":1000,\"held\":[],"
                + "\"unconfirmed\":{\"symbol\":\"BTC-USD\",\"price\":500.0,\"size\":1.0,\"timestamp\":86401000}}";
        io.quantumtrader.trader.market.PriceBand.State state =
                new JsonSerde<>(io.quantumtrader.trader.market.PriceBand.State.class).deserialize(before);
        assertThat(state.agreeing()).isEmpty();
        assertThat(state.unconfirmed()).isEqualTo(new PriceTick("BTC-USD", 500, 1, 86_401_000));
        assertThat(new io.quantumtrader.trader.market.PriceBand(10, 1).apply(state,
                new PriceTick("BTC-USD", 505, 1, 172_801_000)).accepted()).extracting(PriceTick::price).containsExactly(505.0);
    }
}
