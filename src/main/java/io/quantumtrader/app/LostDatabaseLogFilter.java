package io.quantumtrader.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Keeps Lettuce's {@code Cannot reconnect to [host:port]: ERR DB index is out of range} WARN lines (one per connection
 * and attempt, every few seconds for as long as the outage lasts) out of the log once {@link RedisDatabaseWatch} has
 * said the same in two readable lines; back as soon as a connection is made again, and always at
 * {@code QT_LOG_LEVEL=DEBUG}. Lettuce's other reconnect failures (Redis down, refused credentials) are untouched.
 * Installed by logback.xml.
 */
public final class LostDatabaseLogFilter extends TurboFilter {

    private static final String WATCHDOG = "io.lettuce.core.protocol.ConnectionWatchdog";
    private static volatile boolean named;

    /** @param reported true once the lost database has been logged readably, false once a connection is made again */
    static void named(boolean reported) {
        named = reported;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (named && format != null && WATCHDOG.equals(logger.getName()) && !logger.isDebugEnabled()
                && format.startsWith("Cannot reconnect") && format.contains("DB index is out of range")) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
