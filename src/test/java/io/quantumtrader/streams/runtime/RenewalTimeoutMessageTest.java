package io.quantumtrader.streams.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Found in review of this session's fixes (2026-12-07): with a 20 s lease TTL a renewal's reply is awaited 5 s
 * (StreamAdmin.ATTEMPT_TIMEOUT, each attempt) and the renewal fails then, but the WARN said "no answer within 10000 ms"
 * (TTL/2): the old renewalWait() (min of the two) was the real wait.
 */
class RenewalTimeoutMessageTest {

    @Test
    void theRenewalTimeoutMessageNamesTheRealWait() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger tm = (Logger) LoggerFactory.getLogger(TaskManager.class);
        log.start();
        tm.addAppender(log);
        String warn;
        long directWaitMs;
        String directError;
        long stoppedAt;
        long warnedAt;
        try (PausableRedis redis = PausableRedis.start("ttl")) {
            StreamsRuntime runtime = redis.runningRuntime("ttl", c -> c.withLeaseTtl(Duration.ofSeconds(20)));
            try {
                redis.pause();
                stoppedAt = System.currentTimeMillis();
                // what one renewal waits, as TaskManager.renew sends it (TTL/2 = 10 s around StreamAdmin.renewLease)
                long t0 = System.nanoTime();
                Throwable direct = null;
                try {
                    new io.quantumtrader.streams.redis.StreamAdmin(redis.connection().template())
                            .renewLease("ttl:x:lease", "ttl:x:owner", "t", Duration.ofSeconds(20))
                            .timeout(Duration.ofSeconds(10)).block();
                } catch (RuntimeException x) {
                    direct = x;
                }
                directWaitMs = (System.nanoTime() - t0) / 1_000_000;
                directError = String.valueOf(direct);
                await().atMost(Duration.ofSeconds(20)).until(() -> log.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                        && e.getFormattedMessage().contains("renewing the lease failed")));
                ILoggingEvent e = log.list.stream().filter(x -> x.getLevel() == Level.WARN
                        && x.getFormattedMessage().contains("renewing the lease failed")).findFirst().orElseThrow();
                warn = e.getFormattedMessage();
                warnedAt = e.getTimeStamp();
            } finally {
                redis.resume();
                runtime.close(Duration.ofSeconds(5));
            }
        } finally {
            tm.detachAppender(log);
        }
        Matcher m = Pattern.compile("no answer within (\\d+) ms").matcher(warn);
        assertThat(m.find()).as(warn).isTrue();
        long said = Long.parseLong(m.group(1));
        // the renewal was sent at most one renew interval (TTL/3) before the pause: it waited at most 5 s after it
        assertThat(said).as("WARN '%s' came %d ms after Redis paused; a renewal sent to the paused Redis failed after %d ms with %s",
                        warn, warnedAt - stoppedAt, directWaitMs, directError)
                .isLessThanOrEqualTo(StreamAdmin_ATTEMPT_TIMEOUT_MS);
    }

    private static final long StreamAdmin_ATTEMPT_TIMEOUT_MS =
            io.quantumtrader.streams.redis.StreamAdmin.ATTEMPT_TIMEOUT.toMillis();
}
