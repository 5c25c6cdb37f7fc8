package io.quantumtrader.app;

/**
 * The main job ({@code replay}, 100,000 Bitstamp trades through every stage) run several times in one JVM, each in a
 * fresh namespace: the first run pays for class loading and the JIT compilers, the later ones show what the pipeline
 * does warmed. Figures: docs/BENCHMARKS.md. Run (after {@code mvn -q -B -o test-compile}):
 *
 * <pre>
 * mvn -q -B -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.quantumtrader.app.WarmReplayBenchmark [runs] [replay options...]
 * </pre>
 * Redis: {@code REDIS_URL} when set, otherwise each run starts its own (as the {@code replay} command does). The runs
 * use {@code --jit tiered} unless the options name {@code --jit}: a warmed JVM is one whose C2 has compiled the hot path.
 */
public final class WarmReplayBenchmark {

    private WarmReplayBenchmark() {
    }

    /** @param args number of runs (default 3), then options passed to each {@code replay} */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        java.util.List<String> options = new java.util.ArrayList<>(java.util.List.of(args).subList(Math.min(1, args.length), args.length));
        if (!options.contains("--jit")) {
            options.addAll(java.util.List.of("--jit", "tiered"));   // warmed figures: C2's code, as a long-running JVM has
        }
        options.add(0, "replay");
        String[] replay = options.toArray(String[]::new);
        for (int run = 1; run <= runs; run++) {
            long started = System.nanoTime();
            int code = QuantumTraderCli.commandLine().execute(replay);
            System.out.printf("%n=== warm replay run %d of %d: exit %d, %.1f s in all%n%n", run, runs, code,
                    (System.nanoTime() - started) / 1e9);
            if (code != 0) {
                System.exit(code);
            }
        }
        System.exit(0);
    }
}
