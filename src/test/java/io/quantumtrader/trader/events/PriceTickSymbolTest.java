package io.quantumtrader.trader.events;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PriceTick#isSymbol} accepts exactly what the documented pattern {@link PriceTick#SYMBOL} accepts: the JDK's
 * regex engine is the reference, on the edge cases and on 200,000 random strings over an alphabet of valid, invalid
 * and look-alike characters, of lengths 0 to 40.
 */
class PriceTickSymbolTest {

    private static final char[] ALPHABET = "AZMaz09._:/-+ \t\n\u00C4\uFF21\u0660$#@".toCharArray();

    @Test
    void acceptsExactlyWhatThePatternAccepts() {
        for (String s : List.of("", "A", "0", "BTC-USD", "ETH/USD", "A.B_C:D/E-F", "-BTC", ".A", "a", "BTC-usd",
                "BTC USD", "X".repeat(32), "X".repeat(33), "A\u00C4", "\uFF21")) {
            assertThat(PriceTick.isSymbol(s)).as("'%s'", s).isEqualTo(PriceTick.SYMBOL.matcher(s).matches());
        }
        SplittableRandom random = new SplittableRandom(42);
        int accepted = 0;
        for (int n = 0; n < 200_000; n++) {
            char[] chars = new char[random.nextInt(41)];
            boolean mostlyValid = random.nextBoolean();
            for (int i = 0; i < chars.length; i++) {
                chars[i] = mostlyValid && random.nextInt(10) > 0 ? "ABZ09.-/".charAt(random.nextInt(8)) : ALPHABET[random.nextInt(ALPHABET.length)];
            }
            String s = new String(chars);
            boolean expected = PriceTick.SYMBOL.matcher(s).matches();
            assertThat(PriceTick.isSymbol(s)).as("'%s'", s).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        assertThat(accepted).as("both outcomes are exercised").isBetween(1_000, 199_000);
    }
}
