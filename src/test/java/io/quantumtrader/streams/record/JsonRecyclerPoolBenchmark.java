package io.quantumtrader.streams.record;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jackson 3's default buffer recycler pool (a concurrent deque per factory) against its thread-local pool, which
 * {@link JsonSerde} uses: one tick-shaped record written and read a million times per round with each, alternating, in
 * one JVM; rounds after the fourth are printed. Figures: docs/BENCHMARKS.md, 2026-12-04 08:37 section. Run (after
 * {@code mvn -q -B -o test-compile}):
 *
 * <pre>
 * mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.quantumtrader.streams.record.JsonRecyclerPoolBenchmark
 * </pre>
 */
public final class JsonRecyclerPoolBenchmark {

    /** The shape of the replay's most frequent payload (a price tick). */
    public record Tick(String symbol, double price, double size, long timestamp) {
    }

    private JsonRecyclerPoolBenchmark() {
    }

    public static void main(String[] args) {
        JsonMapper defaultPool = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        JsonMapper threadLocal = JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        ObjectWriter[] writers = {defaultPool.writer(), threadLocal.writer()};
        ObjectReader[] readers = {defaultPool.readerFor(Tick.class), threadLocal.readerFor(Tick.class)};
        String[] names = {"default pool     ", "thread-local pool"};
        Tick tick = new Tick("BTC-USD", 1011.37, 0.0123, 1385337600123L);
        String json = writers[0].writeValueAsString(tick);
        int n = 1_000_000;
        long sink = 0;
        for (int round = 1; round <= 10; round++) {
            for (int m = 0; m < 2; m++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += writers[m].writeValueAsString(tick).length();
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += readers[m].<Tick>readValue(json).timestamp();
                }
                long t2 = System.nanoTime();
                if (round > 4) {
                    System.out.printf("round %2d %s write %4.0f ns, read %4.0f ns%n", round, names[m],
                            (t1 - t0) / (double) n, (t2 - t1) / (double) n);
                }
            }
        }
        System.out.println(sink == 42 ? "" : "(checksum " + sink + ")");
    }
}
