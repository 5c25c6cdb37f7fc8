package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.Windowed;
import io.quantumtrader.streams.record.EnvelopeCodec;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.Partitioner;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source's wrong-partition check and windowed subjects: a windowed table's {@code to()} writes each window of a
 * key to the key's partition (Kafka Streams' {@code WindowedStreamPartitioner}), so on a stream such a sink writes
 * ({@code Topology.windowedKeyStreams()}) an entry with subject {@code [key@start/end]} belongs where {@code key} does
 * (or, as before, where its text hashes). On any other stream every subject belongs only where its text hashes: until
 * 2026-12-06 (review) {@code [BTC@1/2]} was accepted on two partitions of every stream.
 */
class WindowedSubjectPartitionTest {

    static final int PARTITIONS = 4;
    /** "counts" is written by a windowed {@code to()}; "ticks" is an ordinary stream. */
    static final IngestGuard GUARD = new IngestGuard(IngestLimits.defaults(), stream -> PARTITIONS, Set.of(),
            Set.of("counts"));
    static final JsonSerde<Long> LONGS = new JsonSerde<>(Long.class);

    @Test
    void aWindowedSubjectIsAcceptedInItsKeysPartitionAndNowhereElse() {
        String subject = subjectHashingAwayFromItsKey("BTC");
        int keys = Partitioner.partition("BTC", PARTITIONS);
        assertThat(GUARD.check("counts", keys, entry(subject), LONGS, false, System.currentTimeMillis()).value())
                .isEqualTo(3L);
        int subjects = Partitioner.partition(subject, PARTITIONS);
        // where the subject's text hashes, as before: entries written before 2026-12-06, a plain key that looks windowed
        assertThat(GUARD.check("counts", subjects, entry(subject), LONGS, false, System.currentTimeMillis()).value())
                .isEqualTo(3L);
        int other = java.util.stream.IntStream.range(0, PARTITIONS).filter(p -> p != keys && p != subjects).findFirst().orElseThrow();
        assertThat(reason(subject, other)).isEqualTo(RejectedEntryException.Reason.WRONG_PARTITION);
    }

    @Test
    void anOrdinaryStreamAcceptsAWindowedLookingSubjectOnlyWhereItsTextHashes() {
        String subject = subjectHashingAwayFromItsKey("BTC");
        int keys = Partitioner.partition("BTC", PARTITIONS);
        assertThat(reason("ticks", subject, keys)).as("not in its key's partition").isEqualTo(RejectedEntryException.Reason.WRONG_PARTITION);
        int subjects = Partitioner.partition(subject, PARTITIONS);
        assertThat(GUARD.check("ticks", subjects, entry("ticks", subject), LONGS, false, System.currentTimeMillis()).value())
                .isEqualTo(3L);
    }

    @Test
    void theStreamsAWindowedSinkWrites() {
        io.quantumtrader.streams.dsl.TopologyBuilder b = new io.quantumtrader.streams.dsl.TopologyBuilder("windowed-streams");
        var counts = b.stream("ticks", Long.class).groupByKey()
                .windowedBy(io.quantumtrader.streams.dsl.TimeWindows.ofSizeWithNoGrace(java.time.Duration.ofMinutes(1)))
                .count(io.quantumtrader.streams.dsl.Materialized.as("counts-1m"));
        counts.toStream().to("counts");
        counts.toStream(io.quantumtrader.streams.dsl.Named.as("kept")).filter((k, v) -> v > 1).mapValues(v -> v * 2)
                .to("counts-doubled");
        counts.toStream().map((k, v) -> io.quantumtrader.streams.dsl.KeyValue.pair(k.key(), v)).to("counts-by-key");
        b.stream("ticks", Long.class, io.quantumtrader.streams.dsl.Named.as("ticks-again")).to("ticks-copy");
        assertThat(b.build().windowedKeyStreams()).containsExactly("counts", "counts-doubled");
    }

    @Test
    void aSubjectThatIsNotWindowedStillBelongsWhereItHashes() {
        String plain = "BTC";
        int wrong = (Partitioner.partition(plain, PARTITIONS) + 1) % PARTITIONS;
        assertThat(reason(plain, wrong)).isEqualTo(RejectedEntryException.Reason.WRONG_PARTITION);
    }

    @Test
    void theKeyOfAWindowedSubject() {
        assertThat(Windowed.keyOf(new Windowed<>("BTC", 0, 60_000).toString())).isEqualTo("BTC");
        assertThat(Windowed.keyOf(new Windowed<>("a@b/c", -60_000, 0).toString())).isEqualTo("a@b/c");
        assertThat(Windowed.keyOf("[@0/1]")).isEmpty();   // the key "", where the sink partitions it
        for (String notWindowed : Set.of("BTC", "[BTC]", "[BTC@0]", "[BTC@x/1]", "[BTC@0/1", "BTC@0/1]", "[BTC@0/]", "[BTC@/1]")) {
            assertThat(Windowed.keyOf(notWindowed)).as(notWindowed).isNull();
        }
    }

    /** @return the subject of a window of {@code key} whose text hashes to another partition than {@code key} */
    private static String subjectHashingAwayFromItsKey(String key) {
        for (long start = 0; ; start += 60_000) {
            String subject = new Windowed<>(key, start, start + 60_000).toString();
            if (Partitioner.partition(subject, PARTITIONS) != Partitioner.partition(key, PARTITIONS)) {
                return subject;
            }
        }
    }

    private static Map<String, String> entry(String subject) {
        return entry("counts", subject);
    }

    private static Map<String, String> entry(String stream, String subject) {
        return EnvelopeCodec.encode(stream, "app/sink", "e-1", subject, 3L, 1_700_000_000_000L, null);
    }

    private static RejectedEntryException.Reason reason(String subject, int partition) {
        return reason("counts", subject, partition);
    }

    private static RejectedEntryException.Reason reason(String stream, String subject, int partition) {
        try {
            GUARD.check(stream, partition, entry(stream, subject), LONGS, false, System.currentTimeMillis());
        } catch (RejectedEntryException e) {
            return e.reason();
        }
        throw new AssertionError("accepted " + subject + " in partition " + partition);
    }
}
