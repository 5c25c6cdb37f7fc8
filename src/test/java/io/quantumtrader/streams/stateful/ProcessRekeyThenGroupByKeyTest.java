package io.quantumtrader.streams.stateful;

import io.quantumtrader.streams.dsl.Materialized;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.dsl.TopologyException;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.stateful.TestEvents.Trade;
import io.quantumtrader.streams.testing.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code process()} may give records new keys, as Kafka Streams assumes: an aggregation after it in a sub-topology of
 * several tasks is refused at start; {@code processValues()} keeps keys (checked on every record it forwards from
 * {@code process()}). Found in review (2026-12-07): a processor re-keying 8 trades to one account before
 * {@code groupByKey().count()} was accepted with 2 partitions, and each task kept its own partial count (1–4 and 1–4,
 * never 8); the driver, one partition, showed 8.
 */
class ProcessRekeyThenGroupByKeyTest {

    /** Forwards each trade keyed by its account (one account). */
    static final class ByAccount implements Processor<String, Trade, String, Trade> {
        ProcessorContext<String, Trade> ctx;

        @Override
        public void init(ProcessorContext<String, Trade> c) {
            ctx = c;
        }

        @Override
        public void process(Record<String, Trade> r) {
            ctx.forward(r.withKey("ACCOUNT-1"));
        }
    }

    static Topology rekeyed(boolean processValues) {
        TopologyBuilder b = new TopologyBuilder("prk");
        var trades = b.stream("trades", Trade.class);
        var keyed = processValues ? trades.processValues(ByAccount::new, Named.as("by-account"))
                : trades.process(ByAccount::new, Named.as("by-account"));
        keyed.groupByKey().count(Materialized.as("trades-per-account")).toStream().to("counts");
        return b.build();
    }

    @Test
    void anAggregationAfterAProcessorThatMayChangeKeysIsRefusedWithSeveralTasks() {
        assertThatThrownBy(() -> rekeyed(false).validate(stream -> 2)).isInstanceOf(TopologyException.class)
                .hasMessageContaining("'by-account' gives records new keys before");
        rekeyed(false).validate(stream -> 1);   // one task: every key is in it
        rekeyed(true).validate(stream -> 2);    // processValues keeps keys
    }

    /** {@code transform} (the Reactor escape hatch) may give any key too: the same refusal. */
    @Test
    void anAggregationAfterATransformIsRefusedWithSeveralTasks() {
        TopologyBuilder b = new TopologyBuilder("trk");
        b.stream("trades", Trade.class).transform(flux -> flux.map(r -> r.withKey("ACCOUNT-1")), Named.as("rekey"))
                .groupByKey().count(Materialized.as("per-account")).toStream().to("counts");
        assertThatThrownBy(() -> b.build().validate(stream -> 2)).isInstanceOf(TopologyException.class)
                .hasMessageContaining("'rekey' gives records new keys before");
    }

    @Test
    void theRuntimeRefusesToStartSuchATopologyWithTwoPartitions() {
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 2, 0, null), Map.of());
        assertThatThrownBy(() -> new Harness.Redis(rekeyed(false), catalog).close()).isInstanceOf(TopologyException.class);
    }

    /** A processValues that changes a key fails that record: dead-lettered, nothing counted under the new key. */
    @ParameterizedTest
    @EnumSource(Harness.Mode.class)
    void processValuesThatChangesAKeyFailsTheRecord(Harness.Mode mode) {
        try (Harness h = Harness.of(mode, rekeyed(true))) {
            h.pipe("trades", "SYM1", new Trade("SYM1", "BUY", 1), 1_000);
            h.flush();
            assertThat(h.read("counts", Long.class)).extracting(TestRecord::value).isEmpty();
            assertThat(h.deadLetters("trades")).singleElement().satisfies(d ->
                    assertThat(d.get("error.message")).contains("processValues node 'by-account' forwarded a record with key "
                            + "'ACCOUNT-1' for the record with key 'SYM1'"));
        }
    }
}
