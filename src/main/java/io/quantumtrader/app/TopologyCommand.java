package io.quantumtrader.app;

import io.quantumtrader.trader.QuantumTraderTopology;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Prints the trading topology in Kafka Streams' {@code TopologyDescription} format. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Print the trading topology (Kafka Streams describe() format).")
final class TopologyCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(QuantumTraderTopology.build().describe());
        return 0;
    }
}
