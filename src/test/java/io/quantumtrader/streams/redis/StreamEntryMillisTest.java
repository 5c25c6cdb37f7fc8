package io.quantumtrader.streams.redis;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link StreamEntry#millisOf} against an independent reference: the text before the dash as a {@link BigInteger}.
 */
class StreamEntryMillisTest {

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @Test
    void readsTheMillisecondsPartAsTheNumberItSpells() {
        Random random = new Random(20261204);
        for (int i = 0; i < 100_000; i++) {
            BigInteger ms = switch (random.nextInt(4)) {
                case 0 -> BigInteger.valueOf(random.nextInt(1_000));
                case 1 -> BigInteger.valueOf(1_700_000_000_000L + random.nextInt(1_000_000_000));
                case 2 -> LONG_MAX.subtract(BigInteger.valueOf(random.nextInt(3)));
                default -> BigInteger.valueOf(random.nextLong() >>> 1);
            };
            String padded = (random.nextInt(10) == 0 ? "00" : "") + ms;
            String id = padded + "-" + Long.toUnsignedString(random.nextLong());
            assertThat(StreamEntry.millisOf(id)).as(id).isEqualTo(new BigInteger(id.split("-")[0]).longValueExact());
        }
    }

    @Test
    void refusesWhatIsNotAnEntryIdOrDoesNotFitALong() {
        for (String bad : new String[]{"", "-", "5", "5-", "-5", "a-1", "+5-1", "1a-0", ">", "$",
                "9223372036854775808-0", "18446744073709551615-0"}) {
            assertThatThrownBy(() -> StreamEntry.millisOf(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a stream entry id");
        }
    }

    @Test
    void anArrivalIsNeverAheadOfTheClockEvenForAnIdBeyondTheSignedRange() {
        long now = 1_765_000_000_000L;
        assertThat(StreamEntry.arrivalMillis("1765000000000-0", now)).isEqualTo(now);
        assertThat(StreamEntry.arrivalMillis("1764999999000-7", now)).isEqualTo(now - 1_000);
        assertThat(StreamEntry.arrivalMillis("9999999999999-0", now)).isEqualTo(now);
        assertThat(StreamEntry.arrivalMillis("9223372036854775808-0", now)).isEqualTo(now);
        assertThat(StreamEntry.arrivalMillis("18446744073709551615-18446744073709551615", now)).isEqualTo(now);
        for (String bad : new String[]{"", "-", "5", "a-1", "+5-1", "99999999999999999999a-0"}) {
            assertThatThrownBy(() -> StreamEntry.arrivalMillis(bad, now)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a stream entry id");
        }
    }
}
