package io.quantumtrader.streams;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running topology that refuses entries at its source says so in the log, once per stream and reason for a burst
 * (found in review, 2026-12-06: refusals were dead-lettered and counted in qt.streams.ingest.rejected, and the log
 * said nothing). Hostile entries XADDed by hand, as in {@link HostileEntryTest}.
 */
class RefusalLogLineTest {

    @Test
    void refusedEntriesOfARunningTopologyAreLoggedOncePerStreamAndReason() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger("io.quantumtrader.streams.runtime.IngestRefusalLog");
        appender.start();
        logger.addAppender(appender);
        String ns = RedisTestSupport.freshNamespace();
        long t = System.currentTimeMillis();
        HostileEntryTest.xadd(ns, HostileEntryTest.tick("e1", 1, t));
        for (int i = 2; i <= 4; i++) {
            Map<String, String> future = HostileEntryTest.tick("e" + i, i, t);
            future.put("time", "2099-01-01T00:00:00Z");
            HostileEntryTest.xadd(ns, future);
        }
        HostileEntryTest.xadd(ns, HostileEntryTest.tick("e5", 5, t));
        try (StreamsRuntime runtime = HostileEntryTest.runtime(ns)) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).as("drained").isTrue();
            assertThat(runtime.counters().rejected()).isEqualTo(3);
        } finally {
            logger.detachAppender(appender);
        }
        List<String> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).as("the first refusal at once; the rest of the burst within the minute: no more lines")
                .hasSize(1).allSatisfy(w -> assertThat(w).contains("of stream 'ticks' refused (future_event_time) and sent to ticks.dlq"));
    }
}
