package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage errors in the user's words (review 2026-12-07): picocli said "Unmatched argument at index 0: 'replya'" for an
 * unknown command and "'abc' is not a double" for a bad number. In this JVM: only parsing runs.
 */
class CliWordingTest {

    private static String err(String... args) {
        CommandLine cli = QuantumTraderCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).isEqualTo(2);
        return err.toString();
    }

    @Test
    void anUnknownCommandIsNamedAsOne() {
        assertThat(err("replya").lines().toList()).containsExactly("error: unknown command 'replya'",
                "  did you mean replay or kill-switch-reset? see 'quantum-trader --help'");
    }

    @Test
    void aValueThatIsNotANumberSaysSo() {
        assertThat(err("replay", "--speed", "abc")).startsWith("error: Invalid value for option '--speed': 'abc' is not a number\n");
        assertThat(err("replay", "--batch-size", "1.5")).startsWith("error: Invalid value for option '--batch-size': '1.5' is not a whole number\n");
    }

    /** Refused before anything is published: a typo went into the permanent kill-switch stream (review 2026-12-07). */
    @Test
    void aResetOfAnUnknownAccountIsRefused() {
        assertThat(err("kill-switch-reset", "--reason", "x", "--account", "papr").lines().toList()).containsExactly(
                "error: unknown account 'papr': the portfolio trades the account 'paper' only",
                "  leave --account out, or give --account paper");
    }

    @Test
    void otherUsageErrorsAreAsPicocliSaysThem() {
        assertThat(err("replay", "--frobnicate").lines().toList()).containsExactly("error: Unknown option: '--frobnicate'",
                "  see 'quantum-trader replay --help'");
        assertThat(err("replay", "extra").lines().findFirst().orElseThrow()).as("an argument after a command, not a command")
                .startsWith("error: Unmatched argument at index 1: 'extra'");
    }
}
