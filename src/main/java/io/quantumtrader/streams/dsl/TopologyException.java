package io.quantumtrader.streams.dsl;

/** A topology that cannot run: a duplicate node name, an unknown store, sources of one sub-topology with different partition counts. */
public class TopologyException extends RuntimeException {
    public TopologyException(String message) {
        super(message);
    }
}
