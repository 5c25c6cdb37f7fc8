package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.StreamEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watermark reads an input keeps until the entries they cover are offered stay bounded while the input is not
 * read (paused for what it holds) and its producer keeps writing. Found in review, 2026-12-07: one read more was kept
 * per poll, without a bound (hours of a paused input: tens of thousands, each read scanning them all). Thinning them
 * delays a watermark at most; once every entry read so far is offered, the newest applies.
 */
class PausedInputWatermarkReadsTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static StreamEntry entry(String stream, long seq, long secondsAfterT0) {
        return new StreamEntry(stream, "k:" + stream, 0, seq + "-0", Map.of("time", T0.plusSeconds(secondsAfterT0).toString()));
    }

    @Test
    void watermarkReadsOfAnInputNotReadStayBoundedAndTheNewestAppliesOnceItsEntriesAreOffered() {
        InputAligner a = new InputAligner(List.of("ticks", "signals"), null, () -> 0L);
        // the producer writes ticks 1..N, one watermark read per poll, none offered yet (the input is paused)
        int polls = 100_000;
        for (int i = 1; i <= polls; i++) {
            a.watermark("ticks", T0.plusSeconds(i).toEpochMilli(), i + "-0");
        }
        assertThat(a.pendingWatermarkReads("ticks")).isLessThanOrEqualTo(InputAligner.MAX_CANDIDATES);
        assertThat(a.watermarkOf("ticks")).as("nothing covered yet").isEqualTo(InputAligner.NONE);

        // the first half is read and offered: the watermark passes a kept read within it, never past the entries
        List<StreamEntry> firstHalf = new ArrayList<>();
        for (int i = 1; i <= polls / 2; i++) {
            firstHalf.add(entry("ticks", i, i));
        }
        a.offer(firstHalf);
        a.release();   // applies the reads the offered entries cover (the ticks wait for the signals)
        long mid = a.watermarkOf("ticks");
        assertThat(mid).isGreaterThan(T0.toEpochMilli()).isLessThanOrEqualTo(T0.plusSeconds(polls / 2).toEpochMilli());

        // every entry offered: the newest read applies
        a.offer(List.of(entry("ticks", polls, polls)));
        a.release();
        assertThat(a.watermarkOf("ticks")).isEqualTo(T0.plusSeconds(polls).toEpochMilli());
        assertThat(a.pendingWatermarkReads("ticks")).isZero();
    }
}
