package io.quantumtrader.streams.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quantumtrader.app.RedisConnection;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A background job's failure is logged at WARN with its cause, the Redis reply: on a Redis out of memory the rebalance
 * and heartbeat jobs said only "rebalance failed, retrying every 1000 ms: Error in execution" (Spring Data Redis'
 * wrapper), and "OOM command not allowed when used memory > 'maxmemory'" was in the DEBUG lines alone.
 */
class PeriodicJobLogTest {

    @Test
    void theWarningNamesTheRedisReplyNotOnlyTheWrappersMessage() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(PeriodicJob.class);
        log.start();
        logger.addAppender(log);
        try (RedisConnection redis = RedisConnection.embedded()) {
            ReactiveStringRedisTemplate template = redis.template();
            template.execute(c -> c.serverCommands().setConfig("maxmemory", "1")).blockLast(Duration.ofSeconds(10));
            PeriodicJob job = new PeriodicJob("membership heartbeat", Duration.ofSeconds(1), Duration.ofSeconds(5),
                    () -> template.opsForValue().set("member", "alive"));
            assertThat(job.runs(Duration.ZERO).take(2).collectList().block(Duration.ofSeconds(20))).containsExactly(false, false);
        } finally {
            logger.detachAppender(log);
        }
        List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).as("one warning for the outage, the repeats at DEBUG").hasSize(1);
        assertThat(warnings.get(0).getFormattedMessage()).startsWith("membership heartbeat failed, retrying every 1000 ms: ")
                .contains("OOM command not allowed when used memory > 'maxmemory'");
    }
}
