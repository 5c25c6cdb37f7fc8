package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.internals.GlobalStoreSpec;
import io.quantumtrader.streams.record.CloudEventJson;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.MapRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A global table's replica names why it skips an entry, in the vocabulary of a source's refusals, so
 * {@code qt.streams.global.entries.skipped} carries a {@code reason} tag (2026-12-06: only the log line named it).
 */
class GlobalStoreSkipReasonTest {

    /** A limit per symbol. */
    record Limit(String symbol, double max) {
    }

    private final GlobalStoreReplica replica = GlobalStoreReplica.inMemory(
            new GlobalStoreSpec("limits-table", "limits", new JsonSerde<>(Limit.class)));

    private static Map<String, String> entry(String subject, Object value) {
        return new LinkedHashMap<>(CloudEventJson.flatten(EnvelopeCodec.encode("limits", "ops", "e-" + subject, subject, value,
                1_700_000_000_000L, null)));
    }

    @Test
    void eachSkippedEntryNamesTheReasonASourceWouldGive() {
        assertThat(replica.applyOrSkip(entry("A", new Limit("A", 10)), null)).as("applied").isNull();
        Map<String, String> noSubject = entry("B", new Limit("B", 1));
        noSubject.remove("subject");
        assertThat(replica.applyOrSkip(noSubject, null)).isEqualTo(GlobalStoreReplica.NO_SUBJECT).isEqualTo("null_key");
        Map<String, String> notALimit = entry("C", new Limit("C", 1));
        notALimit.put("data", "[1,2]");
        assertThat(replica.applyOrSkip(notALimit, null)).isEqualTo("invalid_value");
        Map<String, String> otherStream = entry("D", new Limit("D", 1));
        otherStream.put("type", "orders.v1");
        assertThat(replica.applyOrSkip(otherStream, null)).isEqualTo("wrong_type");
        assertThat(replica.applyOrSkip(entry("E", new Limit("E", 1)), "field 'data' twice")).isEqualTo("invalid_envelope");
        assertThat(replica.all()).containsOnlyKeys("A");
    }

    /**
     * Every task reads its global tables' streams whole at its start, and a bad entry stays there: one WARN per skipped
     * entry filled the log at each start (review 2026-12-06). Now the first few of a read, then their number in one line;
     * the listener (the meter) still hears of each.
     */
    @Test
    void skipsAreLoggedTheFirstFewThenCountedPerReadAndEachIsToldToTheListener() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        for (int i = 0; i < 12; i++) {
            Map<String, String> bad = entry("S" + i, new Limit("S" + i, 1));
            if (i < 10) {
                bad.put("type", "orders.v1");
            } else {
                bad.remove("subject");
            }
            RedisTestSupport.template().opsForStream().add(MapRecord.create(keys.stream("limits", 0), bad)).block();
        }
        RedisTestSupport.template().opsForStream().add(MapRecord.create(keys.stream("limits", 0), entry("A", new Limit("A", 10)))).block();

        Logger logger = (Logger) LoggerFactory.getLogger(GlobalStoreReplica.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            GlobalStoreSpec spec = new GlobalStoreSpec("limits-table", "limits", new JsonSerde<>(Limit.class));
            List<String> told = new ArrayList<>();
            GlobalStoreReplica fromRedis = new GlobalStoreReplica(spec, RedisTestSupport.template(), keys, StreamCatalog.defaults(),
                    (store, entry, reason) -> told.add(reason));
            fromRedis.refresh().block();
            assertThat(told).as("each skip told (qt.streams.global.entries.skipped)").hasSize(12);
            assertThat(fromRedis.all()).containsOnlyKeys("A");
            List<String> lines = warnings(appender);
            assertThat(lines).hasSize(SkippedEntryWarnings.SHOWN_PER_READ + 1);
            assertThat(lines.get(0)).startsWith("global table 'limits-table': skipping an entry of 'limits': a source would refuse "
                    + "it (wrong_type): ");
            assertThat(lines.get(2)).endsWith("(further skips of this read are counted in one line at its end)");
            assertThat(lines.get(3)).isEqualTo("global table 'limits-table': skipped 9 more entries of 'limits' in this read "
                    + "{null_key=2, wrong_type=7} (all counted in qt.streams.global.entries.skipped)");

            fromRedis.refresh().block();
            assertThat(warnings(appender)).as("nothing new read: no line").hasSize(4);

            appender.list.clear();
            GlobalStoreReplica restarted = new GlobalStoreReplica(spec, RedisTestSupport.template(), keys, StreamCatalog.defaults(),
                    (store, entry, reason) -> told.add(reason));
            restarted.refresh().block();
            assertThat(told).as("a task's restart reads them all again: each counted").hasSize(24);
            assertThat(warnings(appender)).as("and logs the first few again, then their number").hasSize(4);

            appender.list.clear();
            Map<String, String> noSubject = entry("B", new Limit("B", 1));
            noSubject.remove("subject");
            for (int i = 0; i < 5; i++) {
                replica.apply(noSubject);
            }
            assertThat(warnings(appender)).as("an entry applied on its own (the test driver) is a read of its own").hasSize(5);
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
