package io.quantumtrader.streams.redis;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link StreamEntry#compareIds} against an independent reference: both halves of {@code <ms>-<seq>} as
 * {@link BigInteger}s, compared as Redis orders ids (ms first, then seq, each an unsigned 64-bit number).
 */
class StreamEntryIdOrderTest {

    private static final BigInteger MAX_UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @Test
    void ordersLikeTheNumbersTheIdsSpell() {
        Random random = new Random(20261204);
        for (int i = 0; i < 200_000; i++) {
            String a = randomId(random);
            String b = random.nextInt(8) == 0 ? a : random.nextInt(4) == 0 ? sameMs(a, random) : randomId(random);
            assertThat(Integer.signum(StreamEntry.compareIds(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(reference(a, b));
        }
    }

    @Test
    void edgeCases() {
        assertThat(StreamEntry.compareIds("0-0", "0-0")).isZero();
        assertThat(StreamEntry.compareIds("9-0", "10-0")).isNegative();           // not lexical
        assertThat(StreamEntry.compareIds("5-10", "5-9")).isPositive();
        assertThat(StreamEntry.compareIds("007-1", "7-1")).isZero();             // leading zeros
        assertThat(StreamEntry.compareIds("18446744073709551615-0", "18446744073709551614-99")).isPositive();
        assertThat(StreamEntry.compareIds("1-18446744073709551615", "2-0")).isNegative();
    }

    @Test
    void rejectsWhatIsNotAnIdWhereTheOrderDependsOnIt() {
        for (String bad : new String[]{"", "-", "5", "5-", "-5", "a-1", "1-b", "1-$", "x-y", ">", "$"}) {
            assertThatThrownBy(() -> StreamEntry.compareIds(bad, "1-1")).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> StreamEntry.compareIds("1-1", bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static int reference(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = new BigInteger(x[0]).compareTo(new BigInteger(y[0]));
        return Integer.signum(c != 0 ? c : new BigInteger(x[1]).compareTo(new BigInteger(y[1])));
    }

    private static String randomId(Random random) {
        return number(random) + "-" + number(random);
    }

    private static String sameMs(String id, Random random) {
        return id.substring(0, id.indexOf('-')) + "-" + number(random);
    }

    /** Small, entry-id-sized, near-boundary, full-range unsigned, and zero-padded numbers. */
    private static String number(Random random) {
        BigInteger n = switch (random.nextInt(5)) {
            case 0 -> BigInteger.valueOf(random.nextInt(12));
            case 1 -> BigInteger.valueOf(1_700_000_000_000L + random.nextInt(1_000_000));
            case 2 -> MAX_UNSIGNED.subtract(BigInteger.valueOf(random.nextInt(3)));
            case 3 -> new BigInteger(64, random);
            default -> BigInteger.valueOf(random.nextLong() >>> 1);
        };
        String s = n.toString();
        return random.nextInt(10) == 0 ? "0".repeat(1 + random.nextInt(3)) + s : s;
    }
}
