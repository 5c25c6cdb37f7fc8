package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code topology --export} given a file instead of a directory: it printed {@code error: cannot use small.csv: null}
 * and nothing to do (review 2026-12-07). Run in this JVM: the command needs no Redis.
 */
class TopologyExportFailureTest {

    @TempDir
    Path dir;

    @Test
    void aFileWhereADirectoryIsExpectedIsNamedWithWhatToDo() throws Exception {
        Path file = Files.writeString(dir.resolve("trades.csv"), "timestamp,price,amount\n");
        CommandLine cli = QuantumTraderCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("topology", "--export", file.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                "error: cannot use " + file + ": it exists and is not a directory",
                "  give a directory to write into (a missing one is created), or another path");
        assertThat(Files.readString(file)).as("the file is left alone").isEqualTo("timestamp,price,amount\n");
    }

    /**
     * A Graphviz {@code dot} that fails: exit code 1 with its cause, and no SVG of an earlier export left beside the new
     * files (found in review, 2026-12-07: exit code 0, nothing said, the old SVG kept). A child JVM, for its PATH.
     */
    @Test
    void aFailingDotIsSaidAndLeavesNoStaleSvg() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path dot = Files.writeString(bin.resolve("dot"), "#!/bin/sh\necho 'dot: syntax error' >&2\nexit 1\n");
        dot.toFile().setExecutable(true);
        Path out = Files.createDirectories(dir.resolve("topology"));
        Path stale = Files.writeString(out.resolve("quantum-trader.svg"), "<svg>an earlier export</svg>");
        CliProcess.Run run = CliProcess.run(dir, java.util.Map.of("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH")),
                java.time.Duration.ofMinutes(1), "topology", "--export", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).as(run.toString()).contains("Graphviz 'dot' failed (exit code 1)");
        assertThat(stale).as("the earlier export's SVG").doesNotExist();
        assertThat(out.resolve("quantum-trader.dot")).exists();
    }
}
