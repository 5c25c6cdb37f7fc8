package io.quantumtrader.app;

import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.trader.QuantumTraderTopology;

import java.util.List;

/**
 * The paper account lives in the trading sub-topology's state, one task per partition of its input streams: with more
 * than one partition the account (equity, exposure, kill switch) would be split in parts that each believe they hold
 * all of it. Until the portfolio layer is keyed by account (docs/TRADING-PIPELINE.md, "Not built yet"), the catalog
 * must give its inputs one partition; a catalog that does not is refused before anything runs.
 */
final class AccountPartitions {

    static final List<String> ACCOUNT_INPUTS = List.of(QuantumTraderTopology.TICKS, QuantumTraderTopology.KILL_SWITCH);

    private AccountPartitions() {
    }

    /** @throws CliException (exit code 2) naming the stream when one of the account's inputs has several partitions */
    static void require(StreamCatalog catalog) {
        for (String stream : ACCOUNT_INPUTS) {
            int n = catalog.spec(stream).partitions();
            if (n != 1) {
                throw new CliException(CliException.INPUT, "topology/streams.yaml gives " + stream + " " + n
                        + " partitions: the paper account would be split between " + n + " tasks",
                        "give " + stream + " partitions: 1 (the portfolio is not partitioned by account yet)", null);
            }
        }
    }
}
