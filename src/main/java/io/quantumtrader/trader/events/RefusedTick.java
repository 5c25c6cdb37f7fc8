package io.quantumtrader.trader.events;

/**
 * {@code market.tick.refused}: a print the price band refused (key: symbol) — an erroneous ("fat-finger", "clearly
 * erroneous") trade that no stage saw: not the candles, not the marks, not the kill switch, the exit brain or the
 * paper venue ({@link io.quantumtrader.trader.market.PriceBand}).
 *
 * @param tick           the print refused, as it came
 * @param reason         why: {@code price_band} (the next print refused it), {@code price_band_unconfirmed} (no print
 *                       decided it within the hold, {@code price-band-hold-seconds}) or {@code price_band_overflow} (its
 *                       symbol held {@code PriceBand.MAX_HELD} prints already; refused at its own trade time)
 * @param referencePrice the symbol's last accepted price the print was compared with
 * @param referenceAt    that price's trade time, epoch ms
 * @param deviationPct   how far the print was from {@code referencePrice}, percent (negative: below)
 * @param bandPct        the band the print was outside of, percent (the configured band, wider when the reference
 *                       print is older than a minute)
 * @param detail         one sentence: what the next print(s) did, e.g. "the next print 1,001.00 is within the band of
 *                       the reference"
 * @param refusedAt      trade time of the print that decided the refusal, epoch ms; for {@code price_band_unconfirmed}
 *                       the end of the hold (the first held print's trade time + the hold)
 */
public record RefusedTick(PriceTick tick, String reason, double referencePrice, long referenceAt, double deviationPct,
                          double bandPct, String detail, long refusedAt) {
}
