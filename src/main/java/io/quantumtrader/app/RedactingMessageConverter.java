package io.quantumtrader.app;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * logback {@code %rmsg}: the log message with secrets redacted ({@link Secrets}): URL passwords, and the Redis password
 * of {@code REDIS_URL} wherever a library puts it.
 */
public final class RedactingMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.redact(super.convert(event));
    }
}
