package io.quantumtrader.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Keeps Lettuce's {@code Cannot reconnect to [host:port]: ERR DB index is out of range} WARN lines (one per connection
 * and attempt, every few seconds for as long as the outage lasts, each with its stack trace) out of the log while a
 * {@link RedisDatabaseWatch} watches the connection: it says the same once per outage, in two readable lines. Until
 * 2026-12-07 they were held back only once the watch had spoken, and the first of them (five in
 * {@code ServeDatabaseLostTest}) still quoted Redis' raw reply with their stack traces. Always shown at
 * {@code QT_LOG_LEVEL=DEBUG}. Also {@code Cannot reconnect ...: RedisHandshakeHandler not registered}: the same refusal
 * when the channel closed during the handshake's {@code SELECT} before Lettuce could read the reply (seen once in CI,
 * 2026-12-07, {@code ServeDatabaseLostTest}). Lettuce's other reconnect failures (Redis down, refused credentials) are
 * untouched.
 * Installed by logback.xml.
 */
public final class LostDatabaseLogFilter extends TurboFilter {

    private static final String WATCHDOG = "io.lettuce.core.protocol.ConnectionWatchdog";
    private static volatile boolean watching;

    /** @param watched true while a {@link RedisDatabaseWatch} names a refused database, false once it is closed */
    static void watching(boolean watched) {
        watching = watched;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (watching && format != null && WATCHDOG.equals(logger.getName()) && !logger.isDebugEnabled()
                && format.startsWith("Cannot reconnect") && (format.contains("DB index is out of range")
                || format.contains("RedisHandshakeHandler not registered"))) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
