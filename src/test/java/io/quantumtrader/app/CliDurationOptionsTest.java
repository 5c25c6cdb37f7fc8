package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --timeout} and {@code --wait} as people write them ({@link DurationConverter}), parsed by the real command
 * line in this JVM (nothing starts: only parsing). {@code --timeout 60} answered with Java's class names
 * ({@code cannot convert '60' to class java.time.Duration (java.time.format.DateTimeParseException ...)}) and
 * {@code --timeout 90s} was refused (review 2026-12-07).
 */
class CliDurationOptionsTest {

    private static Duration timeout(String value) {
        CommandLine cli = QuantumTraderCli.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs("replay", "--timeout", value);
        return ((ReplayCommand) parsed.subcommand().commandSpec().userObject()).timeout;
    }

    @Test
    void durationsWithAUnitOrInIso8601() {
        assertThat(timeout("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(timeout("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(timeout("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(timeout("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(timeout("PT10M")).isEqualTo(Duration.ofMinutes(10));
        CommandLine.ParseResult reset = QuantumTraderCli.commandLine().parseArgs("kill-switch-reset", "--reason", "r", "--wait", "0s");
        assertThat(((KillSwitchResetCommand) reset.subcommand().commandSpec().userObject()).wait).isZero();
        CommandLine.ParseResult defaults = QuantumTraderCli.commandLine().parseArgs("replay");
        assertThat(((ReplayCommand) defaults.subcommand().commandSpec().userObject()).timeout).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aNumberWithoutUnitIsTwoLinesNamingTheOptionAndTheForms() {
        CommandLine cli = QuantumTraderCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("replay", "--timeout", "60");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                "error: Invalid value for option '--timeout': '60' is not a duration: give a number with its unit, e.g. 90s, "
                        + "10m, 500ms or 2h (or ISO-8601: PT10M)",
                "  see 'quantum-trader replay --help'");
    }

    /** Found in review (2026-12-07): "'-5s' is not a duration", and "invalid --timeout PT0S" for a typed 0s. */
    @Test
    void aNegativeOrZeroDurationIsSaidSo() {
        CommandLine cli = QuantumTraderCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("replay", "--timeout", "-5s")).isEqualTo(2);
        assertThat(err.toString()).contains("'-5s' is negative: give a duration such as 90s");
        CommandLine zero = QuantumTraderCli.commandLine();
        StringWriter zeroErr = new StringWriter();
        zero.setErr(new PrintWriter(zeroErr));
        assertThat(zero.execute("replay", "--timeout", "0s")).isEqualTo(2);
        assertThat(zeroErr.toString()).contains("invalid --timeout 0s: it must be longer than 0").doesNotContain("PT0S");
    }
}
