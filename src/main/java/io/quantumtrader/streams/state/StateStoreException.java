package io.quantumtrader.streams.state;

/**
 * A state store value that cannot be written to Redis (its serde fails on it) or read back from it. Retrying cannot
 * help: the task stops, the runtime goes to ERROR and a CRITICAL alert names the store and key (found in review,
 * 2026-12-05: either case restarted the task forever, re-reading the same batch or the same hash, with no alert).
 */
public final class StateStoreException extends RuntimeException {

    /**
     * @param message names the store, the key and what to do
     * @param cause   the serde's failure
     */
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
