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
}
