package io.quantumtrader.app;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;

/**
 * logback {@code %rex}: a logged exception, redacted ({@link Secrets}). With {@link Verbosity#stackTraces()} the full
 * stack trace; otherwise one line per exception of the cause chain ({@code class: message}), so a log stays readable.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy proxy = event.getThrowableProxy();
        if (proxy == null) {
            return CoreConstants.EMPTY_STRING;
        }
        if (Verbosity.stackTraces()) {
            return Secrets.redact(super.convert(event));
        }
        StringBuilder sb = new StringBuilder();
        String prefix = "  ! ";
        int depth = 0;   // bounded: a chain of causes may be a cycle (Logback marks one, CauseChain has the rule)
        for (IThrowableProxy t = proxy; t != null && depth++ < 64; t = t.getCause()) {
            sb.append(prefix).append(t.getClassName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage().strip().lines().findFirst().orElse(""));
            }
            sb.append(CoreConstants.LINE_SEPARATOR);
            prefix = "  ! caused by ";
        }
        return Secrets.redact(sb.toString());
    }
}
