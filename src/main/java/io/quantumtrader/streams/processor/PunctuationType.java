package io.quantumtrader.streams.processor;

/** What drives a scheduled punctuation, as in Kafka Streams. */
public enum PunctuationType {
    /** The processor's stream time (max event time of the records it processed); advances only with input. */
    STREAM_TIME,
    /** The system clock, checked every runtime punctuation tick; fires without input. */
    WALL_CLOCK_TIME
}
