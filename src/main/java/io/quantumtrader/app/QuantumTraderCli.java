package io.quantumtrader.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code replay} (the main job), {@code bench} (engine benchmarks), {@code topology} (describe).
 * Redis: {@code REDIS_URL} when set, otherwise an embedded Redis 7.0.15 started for the run.
 */
@Command(name = "quantum-trader", mixinStandardHelpOptions = true, version = "0.1.0",
        description = "Kafka-Streams-style stream processing on Redis Streams, and the trading system on it.",
        subcommands = {ReplayCommand.class, BenchCommand.class, TopologyCommand.class})
public final class QuantumTraderCli implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new QuantumTraderCli()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
