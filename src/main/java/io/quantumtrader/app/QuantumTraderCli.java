package io.quantumtrader.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ScopeType;

import java.util.OptionalInt;

/**
 * The command line: {@code replay} (the main job), {@code serve} (the service), {@code kill-switch-reset},
 * {@code bench} (engine benchmarks), {@code topology} (describe and export).
 * Redis: {@code REDIS_URL} when set, otherwise a Redis started for the run: the {@code redis-server} on {@code PATH}
 * when there is one, else an embedded Redis 7.0.15 ({@link LocalRedisServer}). A failure is printed in
 * one or two lines (cause, what to do) with a non-zero exit code ({@link CliException}); {@code --verbose} adds the
 * stack trace.
 */
@Command(name = "quantum-trader", mixinStandardHelpOptions = true, version = "0.1.0",
        description = "Kafka-Streams-style stream processing on Redis Streams, and the trading system on it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed (e.g. the pipeline did not drain) or an unexpected error",
                "2:bad input: usage, a missing or empty file, a malformed REDIS_URL, an unknown namespace",
                "3:Redis unreachable, authentication failed, or connection lost",
                "4:the service could not start (e.g. its port is in use)"},
        subcommands = {ReplayCommand.class, ServeCommand.class, KillSwitchResetCommand.class, BenchCommand.class,
                TopologyCommand.class})
public final class QuantumTraderCli implements Runnable {

    /** @param verbose show stack traces of failures (any command, before or after its name) */
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "show stack traces of failures")
    void setVerbose(boolean verbose) {
        Verbosity.setVerbose(verbose);
    }

    /**
     * Runs a command and exits with its code; a {@code serve} that started keeps the JVM running until it is stopped.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        C1OnlyJvm.launchedWith(args);
        OptionalInt child = C1OnlyJvm.relaunchBeforeParsing(args);
        if (child.isPresent()) {
            System.exit(child.getAsInt());
        }
        CommandLine cli = commandLine();
        int code = cli.execute(args);
        if (code != 0 || !ServeCommand.started()) {
            System.exit(code);
        }
    }

    /**
     * @return the command line with the project's exception handlers ({@link CliErrorHandler}) and durations read as
     *         {@code 90s}, {@code 10m} or {@code PT10M} ({@link DurationConverter})
     */
    static CommandLine commandLine() {
        CliErrorHandler errors = new CliErrorHandler();
        return new CommandLine(new QuantumTraderCli())
                .registerConverter(java.time.Duration.class, new DurationConverter())
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    @Spec
    private CommandSpec spec;

    /**
     * No command given: a usage error (exit 2, two lines naming the commands), as {@code git} or {@code kubectl} do
     * without one; it printed the whole help and exited 0 before (review 2026-12-07), so a script that forgot the
     * command passed. {@code --help} still prints the help and exits 0.
     *
     * @throws ParameterException always
     */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required, one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
