package io.quantumtrader.app;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): docs/BENCHMARKS.md's peers command (mvn -Ppeers test-compile ... PeersBenchmark) could not build: fe8d0046 added a
 * namespace parameter to LatencyBenchmark.run, and PeersBenchmark.latency() still called the old 8-argument form. This
 * compiles src/peers/java without Kafka on the class path (the Kafka errors are ignored) and fails on the errors at
 * the LatencyBenchmark.run call alone.
 */
class PeersSourceCompilesTest {

    @Test
    void peersBenchmarkCallsLatencyBenchmarkRunWithItsSignature() throws Exception {
        Path source = Path.of("src/peers/java/io/quantumtrader/app/PeersBenchmark.java");
        List<String> lines = Files.readAllLines(source);
        long callLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("LatencyBenchmark.run(")) {
                callLine = i + 1;
            }
        }
        assertThat(callLine).isPositive();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("peers-compile");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            javac.getTask(null, files, diagnostics, List.of("-d", out.toString(), "-Xmaxerrs", "10000", "-cp",
                            "target/classes:target/test-classes:" + System.getProperty("java.class.path")), null,
                    files.getJavaFileObjects(source.toFile())).call();
        }
        long line = callLine;
        List<String> atCall = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getLineNumber() == line)
                .map(d -> d.getMessage(null)).toList();
        assertThat(atCall).as("javac errors at PeersBenchmark.java:" + line).isEmpty();
    }
}
