package io.quantumtrader.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code replay} (the main job), {@code serve} (the service), {@code bench} (engine benchmarks),
 * {@code topology} (describe and export).
 * Redis: {@code REDIS_URL} when set, otherwise an embedded Redis 7.0.15 started for the run.
 */
@Command(name = "quantum-trader", mixinStandardHelpOptions = true, version = "0.1.0",
        description = "Kafka-Streams-style stream processing on Redis Streams, and the trading system on it.",
        subcommands = {ReplayCommand.class, ServeCommand.class, KillSwitchResetCommand.class, BenchCommand.class,
                TopologyCommand.class})
public final class QuantumTraderCli implements Runnable {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new QuantumTraderCli());
        int code = cli.execute(args);
        if (!"serve".equals(cli.getParseResult() == null || !cli.getParseResult().hasSubcommand() ? null
                : cli.getParseResult().subcommand().commandSpec().name())) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
