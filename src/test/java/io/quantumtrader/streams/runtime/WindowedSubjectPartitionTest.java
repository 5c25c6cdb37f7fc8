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
 * key to the key's partition (Kafka Streams' {@code WindowedStreamPartitioner}), so an entry with subject
 * {@code [key@start/end]} belongs where {@code key} does (or, as before, where its text hashes); any other subject
 * only where it hashes.
 */
class WindowedSubjectPartitionTest {

    static final int PARTITIONS = 4;
    static final IngestGuard GUARD = new IngestGuard(IngestLimits.defaults(), stream -> PARTITIONS);
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
        return EnvelopeCodec.encode("counts", "app/sink", "e-1", subject, 3L, 1_700_000_000_000L, null);
    }

    private static RejectedEntryException.Reason reason(String subject, int partition) {
        try {
            GUARD.check("counts", partition, entry(subject), LONGS, false, System.currentTimeMillis());
        } catch (RejectedEntryException e) {
            return e.reason();
        }
        throw new AssertionError("accepted " + subject + " in partition " + partition);
    }
}
