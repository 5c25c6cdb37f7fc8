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
}
