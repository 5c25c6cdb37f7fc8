package io.quantumtrader.streams.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code qt.streams.e2e.latency} of old data (a backfill, a replay: the latency is the data's age) keeps a true sum.
 * As a Micrometer timer its sum was a count of nanoseconds in a {@code long}, which overflows at 292 years in all: 23
 * records of 2013 data, or 100,000 records a day old, and {@code qt_streams_e2e_latency_seconds_sum} went negative
 * (seen on {@code serve} fed 3,000 ticks of 2013: -5.8e8 s), which Prometheus takes for a counter reset.
 */
class EndToEndLatencyMeterTest {

    @Test
    void theSumOfLatenciesOfOldDataDoesNotOverflow() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StreamsMetrics metrics = new StreamsMetrics(registry, "app");
        long thirteenYears = Duration.ofDays(13 * 365).toMillis();
        for (int i = 0; i < 100; i++) {
            metrics.endToEnd(thirteenYears);
        }
        metrics.endToEnd(250);
        String scrape = registry.scrape();

        assertThat(sample(scrape, "qt_streams_e2e_latency_seconds_count")).isEqualTo(101);
        assertThat(sample(scrape, "qt_streams_e2e_latency_seconds_sum"))
                .isCloseTo(100 * thirteenYears / 1000.0 + 0.25, within(1e3));
        assertThat(sample(scrape, "qt_streams_e2e_latency_seconds_max")).isCloseTo(thirteenYears / 1000.0, within(1.0));
        assertThat(scrape).as("the quantiles the dashboard reads")
                .contains("qt_streams_e2e_latency_seconds{application=\"app\",quantile=\"0.5\"}",
                        "qt_streams_e2e_latency_seconds{application=\"app\",quantile=\"0.95\"}",
                        "qt_streams_e2e_latency_seconds{application=\"app\",quantile=\"0.99\"}");
        assertThat(sample(scrape, "qt_streams_e2e_latency_seconds{application=\"app\",quantile=\"0.5\"}"))
                .as("p50 in seconds").isCloseTo(thirteenYears / 1000.0, org.assertj.core.data.Percentage.withPercentage(5));
    }

    private static double sample(String scrape, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + (name.endsWith("}") ? "" : "\\{[^}]*}") + " ([0-9.eE+-]+)$",
                Pattern.MULTILINE).matcher(scrape);
        assertThat(m.find()).as("%s in%n%s", name, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
