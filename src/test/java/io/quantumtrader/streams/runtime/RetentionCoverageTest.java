package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.processor.PunctuationType;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;

/**

 * Found in review (2026-12-07, retention): streams the service writes that the catalog gives a retention, but that {@link RetentionTrimmer}
 * never visits, because it only walks the topology's sources, their .dlq, its sinks and system.event_error.
 */
class RetentionCoverageTest {

    /**
     * `serve` publishes a heartbeat every 30 s per pod to system.health.heartbeat (HeartbeatPublisher). The catalog says
     * "retention: 24h" and no maxlen, but the stream is no source or sink of the trading topology, so no pass trims it:
     * over weeks it grows by 2,880 entries per pod per day, for ever.
     */
    @Test
    void theHeartbeatStreamOfServeIsTrimmedByItsCatalogRetention() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        StreamCatalog catalog = StreamCatalog.load(Path.of("topology/streams.yaml"));
        assertThat(catalog.spec("system.health.heartbeat").retention()).isEqualTo(Duration.ofHours(24));
        Topology topology = QuantumTraderTopology.build();
        RetentionTrimmer trimmer = new RetentionTrimmer(topology, new StreamAdmin(template()), keys, catalog);

        String heartbeats = keys.stream("system.health.heartbeat", 0);
        String audit = keys.stream("audit.decision.log", 0);
        addEntriesOf1970(heartbeats);
        addEntriesOf1970(audit);

        trimmer.trimOnce().block(Duration.ofSeconds(30));

        assertThat(template().opsForStream().size(audit).block()).as("audit: permanent, never trimmed").isEqualTo(5);
        assertThat(template().opsForStream().size(heartbeats).block())
                .as("heartbeats from 1970 in a stream with 24h retention after a retention pass").isZero();
    }

    /**
     * A failing punctuation (or a failure downstream of a record a punctuator forwarded: no origin) is dead-lettered
     * to {@code <application-id>.<node>.dlq} (DeadLetterFields.streamFor, ProcessorStage#punctuate), in the task's
     * partition. The catalog gives it 30 days, but the trimmer only visits {@code <source>.dlq}: never trimmed.
     */
    @Test
    void aPunctuationDeadLetterStreamIsTrimmedByItsRetention() {
        StreamKeys keys = new StreamKeys(RedisTestSupport.freshNamespace());
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 1, 0, Duration.ofMinutes(1)), Map.of());
        RetentionTrimmer trimmer = new RetentionTrimmer(punctuating("wallfail"), new StreamAdmin(template()), keys, catalog);
        String dlq = io.quantumtrader.streams.runtime.DeadLetterFields.streamFor(
                new Record<>(null, "the wall-clock punctuation", 0L, null, null), "wallfail", "reporter");
        assertThat(dlq).isEqualTo("wallfail.reporter.dlq");
        assertThat(catalog.spec(dlq).retention()).isEqualTo(Duration.ofDays(30));
        String key = keys.stream(dlq, 0);
        addEntriesOf1970(key);

        trimmer.trimOnce().block(Duration.ofSeconds(30));

        assertThat(template().opsForStream().size(key).block())
                .as("dead letters of 1970 in " + dlq + " (30d retention) after a retention pass").isZero();
    }

    private static Topology punctuating(String applicationId) {
        TopologyBuilder b = new TopologyBuilder(applicationId);
        b.stream("events", Long.class)
                .process(() -> new Processor<String, Long, String, Long>() {
                    @Override
                    public void init(ProcessorContext<String, Long> ctx) {
                        ctx.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> {
                            throw new IllegalStateException("punctuation fails");
                        });
                    }

                    @Override
                    public void process(Record<String, Long> record) {
                    }
                }, Named.as("reporter"))
                .to("reports");
        return b.build();
    }

    private static void addEntriesOf1970(String key) {
        for (int i = 1; i <= 5; i++) {
            template().opsForStream().add(MapRecord.create(key, Map.of("n", "" + i)).withId(RecordId.of(i * 1000L, 0))).block();
        }
    }
}
