package io.quantumtrader.streams.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refusals at a source are logged per stream and reason: the first at once, then at most one line per interval with
 * the number refused since the previous line (found in review, 2026-12-06: refusals were dead-lettered and counted but
 * never logged). Virtual time.
 */
class IngestRefusalLogTest {

    @Test
    void theFirstRefusalAtOnceThenAtMostOneLinePerIntervalWithTheCountSince() {
        Logger logger = (Logger) LoggerFactory.getLogger(IngestRefusalLog.class);
        ListAppender<ILoggingEvent> appender = capture(logger);
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            IngestRefusalLog refusals = new IngestRefusalLog(Duration.ofMinutes(1));
            refusals.refused("ticks", "future_event_time", 1);
            assertThat(lines(appender)).containsExactly("1 input entry of stream 'ticks' refused (future_event_time) and sent "
                    + "to ticks.dlq, whose error.message says why: fix the producer. Refusals of this stream and reason are "
                    + "logged at most once per 60 s (all counted in qt.streams.ingest.rejected)");

            time.advanceTimeBy(Duration.ofSeconds(10));
            refusals.refused("ticks", "future_event_time", 3);
            time.advanceTimeBy(Duration.ofSeconds(40));
            refusals.refused("ticks", "future_event_time", 2);
            assertThat(lines(appender)).as("within the minute: no line").hasSize(1);

            refusals.refused("ticks", "wrong_type", 4);
            refusals.refused("orders", "future_event_time", 1);
            assertThat(lines(appender)).as("another reason, another stream: at once").hasSize(3);
            assertThat(lines(appender).get(1)).startsWith("4 input entries of stream 'ticks' refused (wrong_type)");
            assertThat(lines(appender).get(2)).startsWith("1 input entry of stream 'orders' refused (future_event_time)");
            refusals.refused("ticks", "deleted_before_processing", 1);
            assertThat(lines(appender).get(3)).as("not the producer's doing: the stream's retention")
                    .contains("give the stream a retention or maxlen longer than the consumer group's lag");
            appender.list.remove(3);

            time.advanceTimeBy(Duration.ofSeconds(15));   // the minute ended at 60 s: the 5 since the first line, then
            refusals.refused("ticks", "future_event_time", 1);
            assertThat(lines(appender)).hasSize(4);
            assertThat(lines(appender).get(3)).isEqualTo("5 more input entries of stream 'ticks' refused (future_event_time) "
                    + "in the last 60 s, sent to ticks.dlq");

            time.advanceTimeBy(Duration.ofSeconds(30));
            refusals.refused("ticks", "future_event_time", 1);
            assertThat(lines(appender)).as("counted from the last line").hasSize(4);
            time.advanceTimeBy(Duration.ofSeconds(30));
            refusals.refused("ticks", "future_event_time", 1);
            assertThat(lines(appender).get(4)).isEqualTo("2 more input entries of stream 'ticks' refused (future_event_time) "
                    + "in the last 60 s, sent to ticks.dlq");
        } finally {
            VirtualTimeScheduler.reset();
            logger.detachAppender(appender);
        }
    }

    /**
     * Refusals after a burst are logged once the interval since the last line has passed, without a further refusal
     * (before 2026-12-06 they showed only in the meter until the next refusal, which might never come); close() logs
     * what is pending at once and leaves nothing scheduled.
     */
    @Test
    void refusalsAfterTheLastLineAreLoggedWhenTheIntervalEndsWithoutAFurtherRefusal() {
        Logger logger = (Logger) LoggerFactory.getLogger(IngestRefusalLog.class);
        ListAppender<ILoggingEvent> appender = capture(logger);
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            IngestRefusalLog refusals = new IngestRefusalLog(Duration.ofMinutes(1));
            refusals.refused("ticks", "future_event_time", 1);
            time.advanceTimeBy(Duration.ofSeconds(5));
            refusals.refused("ticks", "future_event_time", 3);
            time.advanceTimeBy(Duration.ofSeconds(20));
            refusals.refused("ticks", "future_event_time", 2);
            time.advanceTimeBy(Duration.ofSeconds(34));
            assertThat(lines(appender)).as("within the minute: no line").hasSize(1);
            time.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(lines(appender)).hasSize(2);
            assertThat(lines(appender).get(1)).isEqualTo("5 more input entries of stream 'ticks' refused (future_event_time) "
                    + "in the last 60 s, sent to ticks.dlq");
            time.advanceTimeBy(Duration.ofMinutes(10));
            assertThat(lines(appender)).as("nothing more refused: no line").hasSize(2);

            refusals.refused("ticks", "future_event_time", 1);
            assertThat(lines(appender)).as("the interval since the last line has passed: at once").hasSize(3);
            time.advanceTimeBy(Duration.ofSeconds(10));
            refusals.refused("ticks", "future_event_time", 4);
            refusals.close();
            assertThat(lines(appender)).hasSize(4);
            assertThat(lines(appender).get(3)).isEqualTo("4 more input entries of stream 'ticks' refused (future_event_time) "
                    + "in the last 10 s, sent to ticks.dlq");
            assertThat(refusals.scheduledFlushes()).as("nothing left scheduled").isZero();
            time.advanceTimeBy(Duration.ofMinutes(2));
            assertThat(lines(appender)).hasSize(4);
        } finally {
            VirtualTimeScheduler.reset();
            logger.detachAppender(appender);
        }
    }

    private static List<String> lines(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** @return a started appender attached to {@code logger} (detach it when done) */
    private static ListAppender<ILoggingEvent> capture(Logger logger) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }
}
