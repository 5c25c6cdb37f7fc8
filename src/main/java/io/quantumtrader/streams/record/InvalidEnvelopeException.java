package io.quantumtrader.streams.record;

/** Thrown when a stream entry is not a valid CloudEvents envelope (DESIGN §4); the entry is dead-lettered. */
public class InvalidEnvelopeException extends RuntimeException {
    public InvalidEnvelopeException(String message) {
        super(message);
    }
}
