package io.quantumtrader.trader.market;

import io.quantumtrader.trader.events.PriceTick;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads trades CSV files of the shape {@code timestamp,price,amount} (timestamp in epoch seconds, as Bitstamp's
 * {@code bitstamp_trades_from_20131125_usd.csv} shipped in {@code org.ta4j:ta4j-examples:0.15}) into ticks. A header
 * line is skipped; a malformed line is reported with its line number and skipped, never silently.
 */
public final class TradesCsv {

    /** The bundled real data set: 100,000 BTC/USD trades, 2013-11-25 to 2013-12-01. */
    public static final String BITSTAMP_RESOURCE = "/bitstamp_trades_from_20131125_usd.csv";

    private TradesCsv() {
    }

    /**
     * A line that could not be read.
     *
     * @param lineNumber 1-based line number in the file
     * @param line       the raw line
     * @param reason     why it was rejected
     */
    public record Malformed(int lineNumber, String line, String reason) {
    }

    /** @param ticks the ticks in file order; @param malformed the rejected lines */
    public record Result(List<PriceTick> ticks, List<Malformed> malformed) {
    }

    /**
     * @param in     the CSV text (UTF-8); closed by the caller
     * @param symbol symbol given to every tick, e.g. {@code BTC-USD}
     * @throws UncheckedIOException when the stream cannot be read
     */
    public static Result read(InputStream in, String symbol) {
        List<PriceTick> ticks = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || (n == 1 && line.startsWith("timestamp"))) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 3) {
                    malformed.add(new Malformed(n, line, "expected 3 fields timestamp,price,amount, found " + f.length));
                    continue;
                }
                try {
                    long seconds = Long.parseLong(f[0].trim());
                    ticks.add(new PriceTick(symbol, Double.parseDouble(f[1].trim()), Double.parseDouble(f[2].trim()),
                            seconds * 1000L));
                } catch (IllegalArgumentException e) {
                    malformed.add(new Malformed(n, line, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trades CSV", e);
        }
        return new Result(ticks, malformed);
    }
}
