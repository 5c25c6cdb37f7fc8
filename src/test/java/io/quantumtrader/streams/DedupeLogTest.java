package io.quantumtrader.streams;

import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.redis.DedupeLog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.MapRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The task's dedupe log ({@link DedupeLog}: one list element per commit): ids committed before a restart are
 * recognized after it, the log keeps at least the newest {@code dedupe-max-ids} ids and drops whole commits beyond
 * them, ids of the former sorted-set layout are still recognized, and the element layout survives any id.
 */
class DedupeLogTest {

    private static final String APP = "dedupe";
    private static final String GROUP = APP + ".0";

    @Test
    void idsCommittedBeforeARestartAreRecognizedAfterItAndTheLogStaysBounded() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withBatchSize(50)
                .withIngest(StreamsConfig.defaults().ingest().withDedupe(Duration.ofHours(1), 120));
        for (int n = 1; n <= 200; n++) {
            xadd(ns, "feed-" + n, n);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().recordsIn()).isEqualTo(200);
            assertThat(runtime.counters().duplicates()).isZero();
        }

        List<String> log = template().opsForList().range(keys.dedupe(GROUP, 0), 0, -1).collectList().block();
        List<String> kept = new ArrayList<>();
        log.forEach(element -> DedupeLog.parse(element, (id, arrival) -> kept.add(id)));
        String counted = template().<String, String>opsForHash().get(keys.meta(GROUP, 0), "dedupe-ids").block();
        assertThat(Long.parseLong(counted)).as("the meta hash counts the ids the log holds").isEqualTo(kept.size());
        assertThat(kept).as("at least the newest 120, at most a commit's worth more")
                .hasSizeBetween(120, 120 + 49).contains(key("feed-200"), key("feed-81")).doesNotContain(key("feed-1"));
        assertThat(log.size()).as("one element per commit, not per id").isLessThan(kept.size() / 2);

        // the same ids again (a producer's retry after the restart) and one new id
        for (int n = 150; n <= 201; n++) {
            xadd(ns, "feed-" + n, n);
        }
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), config, template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().duplicates()).as("repeats recognized from the log").isEqualTo(51);
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).as("each id processed once").isEqualTo(201);
    }

    @Test
    void idsOfTheFormerSortedSetAreStillRecognized() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        template().opsForZSet().add(keys.legacyDedupe(GROUP, 0), "before-upgrade", System.currentTimeMillis()).block();
        retryOfBeforeUpgradeIsSkipped(ns);
    }

    /**
     * Until 2026-12-06 the log held each event id alone (now: stream, source and id); a retry of an event logged that
     * way before an upgrade is still recognized within the window after it.
     */
    @Test
    void idsLoggedAloneBeforeTheSourceJoinedTheKeyAreStillRecognized() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        template().opsForList().rightPush(keys.dedupe(GROUP, 0),
                elementOf(System.currentTimeMillis(), 1, "14:before-upgrade\n")).block();
        retryOfBeforeUpgradeIsSkipped(ns);
    }

    /** The event "before-upgrade", logged before an upgrade, sent again with a new one: the retry is skipped. */
    private static void retryOfBeforeUpgradeIsSkipped(String ns) {
        xadd(ns, "before-upgrade", 1);
        xadd(ns, "after-upgrade", 2);
        try (StreamsRuntime runtime = new StreamsRuntime(topology(), StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.counters().duplicates()).isEqualTo(1);
        }
        assertThat(RedisTestSupport.length(ns, "priced", 0)).isEqualTo(1);
    }

    /** The dedupe key of an event of this test's producer (no source: "unknown"), in the layout DedupeCache documents. */
    private static String key(String eventId) {
        return "ticks 7:unknown " + eventId;
    }

    @Test
    void anElementHoldsAnyIdAndAForeignOneIsRefused() {
        StringBuilder body = new StringBuilder();
        List<String> ids = List.of("plain", "with:colon", "two\nlines", "", "ünïcödé 🚀", "7:fake\n");
        for (String id : ids) {
            appendId(body, id);
        }
        String element = elementOf(1_700_000_000_004L, ids.size(), body);
        Map<String, Long> read = new LinkedHashMap<>();
        DedupeLog.parse(element, read::put);
        assertThat(read.keySet()).containsExactlyElementsOf(ids);
        assertThat(read.values()).containsOnly(1_700_000_000_004L);

        assertThatThrownBy(() -> DedupeLog.parse("not ours", (i, a) -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DedupeLog.parse("1 2\n3:abc\n9:short\n", (i, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id 2 of 2");
    }

    /** Same layout as {@link DedupeLog} documents, written here independently of its package-private builders. */
    private static void appendId(StringBuilder body, String id) {
        body.append(id.length()).append(':').append(id).append('\n');
    }

    private static String elementOf(long newestArrival, int count, CharSequence body) {
        return newestArrival + " " + count + "\n" + body;
    }

    /** ticks → to-cents → priced, application {@value #APP} (also {@link DedupeRestartOrderTest}'s, {@link SlowOversizedReadTest}'s). */
    static Topology topology() {
        TopologyBuilder b = new TopologyBuilder(APP);
        b.stream("ticks", Tick.class, Named.as("ticks-in"))
                .mapValues(t -> new PricedTick(t.symbol(), t.seq(), Math.round(t.price() * 100)), Named.as("to-cents"))
                .to("priced", Named.as("priced-sink"));
        return b.build();
    }

    /** A plain XADD, as a foreign producer writes it: the event id is the producer's. */
    static void xadd(String ns, String eventId, int seq) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", eventId);
        f.put("time", "2023-11-14T22:13:20Z");
        f.put("data", "{\"symbol\":\"A\",\"price\":1.5,\"seq\":" + seq + "}");
        template().opsForStream().add(MapRecord.create(new StreamKeys(ns).stream("ticks", 0), f)).block();
    }
}
