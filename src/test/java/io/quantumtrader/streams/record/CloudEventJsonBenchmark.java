package io.quantumtrader.streams.record;

import tools.jackson.core.io.JsonStringEncoder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One replay-shaped entry (five attributes and a tick) written in structured mode by {@link CloudEventJson} and by the
 * same writer escaping every attribute with Jackson's {@code JsonStringEncoder} (the first version), and read back
 * ({@link CloudEventJson#flatten}); 200,000 of each per round in one JVM, rounds after the third printed. Figures:
 * docs/BENCHMARKS.md, 2026-12-05 01:31 section. Run (after {@code mvn -q -B -o test-compile}) with C1 only, as the
 * replay compiles:
 *
 * <pre>
 * mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -XX:TieredStopAtLevel=1 -cp target/test-classes:target/classes:$(cat target/cp.txt) io.quantumtrader.streams.record.CloudEventJsonBenchmark
 * </pre>
 */
public final class CloudEventJsonBenchmark {

    private CloudEventJsonBenchmark() {
    }

    public static void main(String[] args) {
        Map<String, String> flat = new LinkedHashMap<>();
        flat.put("id", "21b8f353-6c64-3916-bce3-001609f0ab3f");
        flat.put("source", "quantum-trader/ticks-by-account-repartition-sink");
        flat.put("time", "2013-11-25T00:00:13Z");
        flat.put("subject", "BTC-USD");
        flat.put("traceid", "7a3d17c8-8ef8-3e4c-b618-47b3e6525b79");
        flat.put("data", "{\"symbol\":\"BTC-USD\",\"price\":800.05,\"size\":0.27838049,\"timestamp\":1385337613000}");
        Map<String, String> entry = CloudEventJson.structured(flat);
        if (!CloudEventJson.flatten(entry).equals(flat) || !escapingEverything(flat).equals(entry)) {
            throw new IllegalStateException("the writers disagree");
        }
        int n = 200_000;
        long sink = 0;
        for (int round = 1; round <= 8; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += CloudEventJson.structured(flat).size();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += escapingEverything(flat).size();
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += CloudEventJson.flatten(entry).size();
            }
            long t3 = System.nanoTime();
            if (round > 3) {
                System.out.printf("round %d: write %,.0f ns (every attribute escaped by Jackson: %,.0f ns), read %,.0f ns%n",
                        round, (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n);
            }
        }
        System.out.println(sink == 0 ? "" : "(checksum " + sink + ")");
    }

    /** {@link CloudEventJson#structured} as first written: Jackson escapes every attribute name and value. */
    private static Map<String, String> escapingEverything(Map<String, String> attributes) {
        JsonStringEncoder quoter = JsonStringEncoder.getInstance();
        StringBuilder json = new StringBuilder(128 + attributes.get("data").length()).append('{');
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            if (!"data".equals(a.getKey())) {
                json.append(json.length() > 1 ? ",\"" : "\"");
                quoter.quoteAsString(a.getKey(), json);
                json.append("\":\"");
                quoter.quoteAsString(a.getValue(), json);
                json.append('"');
            }
        }
        return Map.of(CloudEventJson.FIELD, json.append(",\"data\":").append(attributes.get("data")).append('}').toString());
    }
}
