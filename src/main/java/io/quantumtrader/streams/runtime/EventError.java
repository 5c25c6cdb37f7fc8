package io.quantumtrader.streams.runtime;

/**
 * Payload of {@code system.event_error}: an input entry that was dead-lettered (DESIGN §5).
 *
 * @param stream        the stream the entry was read from
 * @param partition     its partition
 * @param entryId       its Redis entry id
 * @param stage         the node that failed (source node for decode errors)
 * @param errorClass    exception class name
 * @param errorMessage  exception message
 * @param attempts      how many times the node was tried
 * @param deadLetterStream where the raw entry went: {@code <stream>.dlq}
 */
public record EventError(String stream, int partition, String entryId, String stage, String errorClass,
                         String errorMessage, int attempts, String deadLetterStream) {
}
