package io.quantumtrader.trader.market;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A late print (traded before the band's reference) is accepted when within the band, but does not become the
 * reference: the band of the next print is measured from the latest accepted print in trade time. Found in review
 * (2026-12-07): the late print became the reference with its older trade time, the band widened with the time since it
 * (an hour: 7.8 times), and a print 50 % away half a minute after the real reference was accepted at once.
 */
class LatePrintReferenceTest {

    @Test
    void aLatePrintDoesNotWidenTheBandOfTheNextOne() {
        PriceBandTest.Tape tape = new PriceBandTest.Tape(PriceBandTest.BAND)
                .print(1_000, 3_600)      // the reference, at T0 + 1 h
                .print(1_005, 0)          // a late print from T0, within the band: accepted
                .print(1_500, 3_630);     // +50 % thirty seconds after the reference: outside the 10 % band, held
        assertThat(tape.accepted).containsExactly(1_000.0, 1_005.0);
        assertThat(tape.state.held()).as("the +50 % print is held, not accepted").hasSize(1);
        assertThat(tape.state.reference()).isEqualTo(1_000.0);
        assertThat(tape.state.referenceAt()).isEqualTo(PriceBandTest.T0 + 3_600_000);
    }

    @Test
    void aPrintInOrderStillBecomesTheReference() {
        PriceBandTest.Tape tape = new PriceBandTest.Tape(PriceBandTest.BAND).print(1_000, 0).print(1_050, 30);
        assertThat(tape.state.reference()).isEqualTo(1_050.0);
        assertThat(tape.state.referenceAt()).isEqualTo(PriceBandTest.T0 + 30_000);
    }

    /**
     * 10 % band, 2 confirmations, held prints wait 5 s. Found in review of the first fix (2026-12-07): a late print
     * still cleared the level refused unconfirmed and refused the held print as the market staying put.
     */
    static final PriceBand BAND_2 = new PriceBand(10, 2, 5_000);

    @Test
    void aLatePrintKeepsTheLevelRefusedUnconfirmed() {
        PriceBandTest.Tape tape = new PriceBandTest.Tape(BAND_2)
                .print(100, 100)     // the reference
                .print(150, 110)     // a jump: held
                .print(150, 120);    // the first one's wait is over: refused unconfirmed, a level; this one held
        assertThat(tape.state.unconfirmed()).as("the level refused unconfirmed").isNotNull();
        assertThat(tape.state.held()).hasSize(1);
        tape.print(100, 50);         // a late print, traded before the reference: accepted, not the reference
        assertThat(tape.state.referenceAt()).isEqualTo(PriceBandTest.T0 + 100_000);
        assertThat(tape.state.unconfirmed()).as("the level of the move, after a print older than the reference")
                .isNotNull();
    }

    @Test
    void aLatePrintDoesNotRefuseTheHeldPrintAsTheMarketStayingPut() {
        PriceBandTest.Tape tape = new PriceBandTest.Tape(BAND_2)
                .print(100, 100)     // the reference
                .print(150, 110);    // a jump: held
        tape.print(100, 50);         // a late print, traded before the reference
        assertThat(tape.refused).as("the held print refused by a print older than the reference and than it").isEmpty();
    }
}
