package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar quantum-trader-streams.jar} without a command printed the whole help and exited 0, so a script or a
 * container that forgot its command "succeeded" (review 2026-12-07): it is a usage error now, two lines, exit 2, while
 * {@code --help} still exits 0. In this JVM: nothing starts.
 */
class NoCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result execute(String... args) {
        CommandLine cli = QuantumTraderCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void noCommandIsAUsageErrorNamingTheCommands() {
        Result none = execute();
        assertThat(none.code()).as(none.err()).isEqualTo(2);
        assertThat(none.err().lines().toList()).containsExactly(
                "error: a command is required, one of: replay, serve, kill-switch-reset, bench, topology",
                "  see 'quantum-trader --help'");
        assertThat(none.out()).isEmpty();
    }

    @Test
    void helpStillExitsZero() {
        Result help = execute("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: quantum-trader").contains("replay");
    }
}
