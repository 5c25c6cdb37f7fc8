package io.quantumtrader.streams.robust;

/** Opens StateStoreFailureTest's topology to the parity review test. */
public final class StateStoreFailureTestAccess {
    public static io.quantumtrader.streams.dsl.Topology storing(boolean loop) {
        return StateStoreFailureTest.storing(loop);
    }
}
