package io.quantumtrader.trader;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real multi-symbol dataset: {@code data/stocks.csv} of the npm package {@code vega-datasets} (monthly closes of
 * MSFT, AMZN, IBM, GOOG and AAPL, 2000 to 2010; 560 prices), fetched at test time with {@code npm pack} into
 * {@code target/vega-datasets} (not committed). Without npm or the registry the tests that need it are skipped,
 * outside CI (there it fails).
 */
public final class VegaStocks {

    static final String VERSION = "3.2.1";
    static final Path DIR = Path.of("target", "vega-datasets");
    static final Path CSV = DIR.resolve("package/data/stocks.csv");

    private VegaStocks() {
    }

    /** @return the path of stocks.csv, fetched on first use */
    public static synchronized Path csv() {
        if (Files.exists(CSV)) {
            return CSV;
        }
        try {
            Files.createDirectories(DIR);
            // test JVMs run side by side (surefire forkCount): one fetches while the others wait for its file
            try (FileChannel lock = FileChannel.open(DIR.resolve("fetch.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = lock.lock()) {
                if (!Files.exists(CSV)) {
                    run(List.of("npm", "pack", "vega-datasets@" + VERSION, "--silent"));
                    Path extracted = Files.createTempDirectory(DIR, "extract");
                    run(List.of("tar", "xzf", "../vega-datasets-" + VERSION + ".tgz", "package/data/stocks.csv"),
                            extracted);
                    Files.createDirectories(CSV.getParent());
                    Files.move(extracted.resolve("package/data/stocks.csv"), CSV, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException | InterruptedException | AssertionError e) {
            Assumptions.assumeTrue("true".equals(System.getenv("CI")), "vega-datasets not reachable with npm: " + e.getMessage());
            throw new AssertionError("cannot fetch vega-datasets@" + VERSION + " with npm pack", e);
        }
        return CSV;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        run(command, DIR);
    }

    private static void run(List<String> command, Path directory) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took more than 120 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }
}
