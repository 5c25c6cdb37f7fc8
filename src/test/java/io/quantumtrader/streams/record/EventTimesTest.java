package io.quantumtrader.streams.record;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast path of the envelope's {@code time} attribute gives exactly what {@link Instant} gives. */
class EventTimesTest {

    @Test
    void formatsAndParsesLikeInstantOverTenThousandYears() {
        SplittableRandom random = new SplittableRandom(12);
        long min = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long ms = i < 100_000 ? random.nextLong(min, max + 1) : random.nextLong(1_300_000_000_000L, 1_900_000_000_000L);
            if (i % 3 == 0) {
                ms -= Math.floorMod(ms, 1000); // whole seconds: no fraction on the wire
            }
            Instant t = Instant.ofEpochMilli(ms);
            String text = EventTimes.format(t);
            assertThat(text).isEqualTo(t.toString());
            assertThat(EventTimes.parse(text)).isEqualTo(t);
        }
    }

    @Test
    void everyOtherShapeIsInstantsToDecide() {
        for (String s : List.of("2024-02-29T12:00:00Z", "2023-11-14T22:13:20.1Z", "2023-11-14T22:13:20.123456789Z",
                "2023-11-14T22:13:20.123456Z", "2023-11-14t22:13:20z", "2023-11-14T22:13:20+01:00", "1969-12-31T23:59:59.999Z",
                "+12345-01-01T00:00:00Z", "2016-12-31T23:59:60Z", "2023-11-14T24:00:00Z", "2023-11-14T22:13:20.Z")) {
            assertThat(EventTimes.parse(s)).as(s).isEqualTo(Instant.parse(s));
        }
        for (String s : List.of("2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-11-14T22:13:20.1234567890Z", "2023-1a-14T22:13:20Z", "not a time", "")) {
            assertThatThrownBy(() -> EventTimes.parse(s)).as(s).isInstanceOf(DateTimeParseException.class);
        }
        Instant micros = Instant.ofEpochSecond(1_700_000_000L, 123_456_000);
        assertThat(EventTimes.format(micros)).isEqualTo(micros.toString());
        Instant far = Instant.parse("+12345-01-01T00:00:00Z");
        assertThat(EventTimes.format(far)).isEqualTo(far.toString());
    }
}
