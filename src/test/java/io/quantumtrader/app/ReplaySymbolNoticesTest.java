package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay report's lines about a symbol, found in review (2026-12-07, multi-symbol replay): (1) the "ticks in candle
 * windows that never closed ... the portfolio saw them" line counted the prints the price band refused: AAA's last print
 * (10.0 after sixty at 100.0) is refused unconfirmed, yet it was one of "7 ticks" (6 were accepted); (2) a symbol with
 * fewer candles than the regime detector's warm-up (64) got no regime, signal or trade, and the report did not say so.
 */
class ReplaySymbolNoticesTest {

    @TempDir
    Path dir;

    @Test
    void refusedPrintsAreNotCountedAsSeenAndASymbolShortOfTheWarmUpIsNamed() throws Exception {
        long t0 = 1_700_000_040L;   // a minute boundary
        StringBuilder csv = new StringBuilder("timestamp,price,amount\n");
        for (int i = 0; i < 60; i++) {
            csv.append(t0 + i * 10L).append(",100.0,1\n");
        }
        csv.append(t0 + 630).append(",10.0,1\n");
        Path f = Files.writeString(dir.resolve("aaa.csv"), csv);
        Files.createDirectories(dir.resolve("w"));
        CliProcess.Run run = CliProcess.run(dir.resolve("w"), Map.of(), Duration.ofMinutes(2), "replay", "--file", "AAA=" + f.toAbsolutePath());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("refused (price band) 1 ");
        assertThat(run.stdout().lines().filter(l -> l.contains("never closed")).findFirst().orElse(""))
                .as("the unclosed-candles line of AAA").contains("AAA: 6 ticks");
        assertThat(run.stdout().lines().filter(l -> l.contains("AAA: 9 candles") && l.contains("warm-up")).toList())
                .as("AAA's 9 closed one-minute candles are fewer than the regime detector's warm-up:\n" + run.stdout()).hasSize(1);
    }
}
