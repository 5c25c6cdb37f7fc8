package io.quantumtrader.streams.record;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tick-shaped payload decoded by Jackson alone (its record constructor called with {@code invokeWithArguments}) and
 * by {@link JsonSerde}'s default mapper ({@link CreatorInvokers}: a handle spread once), 200,000 of each per round,
 * alternating, in one JVM; rounds after the second are printed. Figures: docs/BENCHMARKS.md, 2026-12-04/05 23:52
 * section. Run (after {@code mvn -q -B -o test-compile}), with C1 only as the replay compiles, and with C2:
 *
 * <pre>
 * mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -XX:TieredStopAtLevel=1 -cp target/test-classes:target/classes:$(cat target/cp.txt) io.quantumtrader.streams.record.CreatorInvokersBenchmark
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.quantumtrader.streams.record.CreatorInvokersBenchmark
 * </pre>
 */
public final class CreatorInvokersBenchmark {

    /** The shape of the replay's most frequent payload (a price tick). */
    public record Tick(String symbol, double price, double size, long timestamp) {
    }

    private CreatorInvokersBenchmark() {
    }

    public static void main(String[] args) {
        JsonMapper jacksonAlone = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        ObjectReader[] readers = {jacksonAlone.readerFor(Tick.class), JsonSerde.defaultMapper().readerFor(Tick.class)};
        String[] names = {"Jackson alone (invokeWithArguments)", "JsonSerde (CreatorInvokers)        "};
        String json = "{\"symbol\":\"BTC/USD\",\"price\":1043.25,\"size\":0.0213,\"timestamp\":1385337600000}";
        int n = 200_000;
        long sink = 0;
        for (int round = 1; round <= 8; round++) {
            for (int m = 0; m < 2; m++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += readers[m].<Tick>readValue(json).timestamp();
                }
                long t1 = System.nanoTime();
                if (round > 2) {
                    System.out.printf("round %d %s read %5.0f ns%n", round, names[m], (t1 - t0) / (double) n);
                }
            }
        }
        System.out.println(sink == 42 ? "" : "(checksum " + sink + ")");
    }
}
