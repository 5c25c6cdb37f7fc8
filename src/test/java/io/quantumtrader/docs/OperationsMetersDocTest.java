package io.quantumtrader.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Found in review (2026-12-08, docs against code): docs/OPERATIONS.md "Meters" against the meters the code registers.
 */
class OperationsMetersDocTest {

    private static final Path OPERATIONS = Path.of("docs/OPERATIONS.md");
    private static final Path MAIN = Path.of("src/main/java/io/quantumtrader");

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /**
     * The {@code qt.streams.job.failures} row lists the values of its {@code background.job} tag. Every job the runtime
     * schedules is tagged with its name (spaces as dots: StreamsRuntime#registerMeters, {@code jobFailures(job.name()
     * .replace(' ', '.'), ...)}), and the service's own jobs register theirs by name ({@code jobFailures(..., "x", ...)}).
     * The row lacks {@code eviction.policy.check} (EvictionPolicyWatch, scheduled since 2026-12-08 03:14).
     */
    @Test
    void theJobFailuresRowNamesEveryBackgroundJobTag() throws IOException {
        Set<String> tags = new TreeSet<>();
        String runtime = read(MAIN.resolve("streams/runtime/StreamsRuntime.java"));
        for (String name : all(Pattern.compile("schedule\\(new PeriodicJob\\(\"([^\"]+)\""), runtime)) {
            tags.add(name.replace(' ', '.'));
        }
        for (String name : all(Pattern.compile("new PeriodicJob\\(\"([^\"]+)\""),
                read(MAIN.resolve("streams/runtime/LagGauges.java")))) {
            tags.add(name.replace(' ', '.'));
        }
        for (String app : new String[] {"app/HealthMeter.java", "app/RedisReachability.java", "app/HeartbeatPublisher.java"}) {
            tags.addAll(all(Pattern.compile("jobFailures\\([^;]*?\"([a-z.]+)\""), read(MAIN.resolve(app))));
        }
        assertThat(tags).contains("rebalance", "lease.renewal", "lag.refresh", "health.meter");

        String row = read(OPERATIONS).lines().filter(l -> l.startsWith("| `qt.streams.job.failures`")).findFirst().orElseThrow();
        Set<String> missing = new TreeSet<>();
        for (String tag : tags) {
            if (!row.contains("`" + tag + "`")) {
                missing.add(tag);
            }
        }
        assertThat(missing).as("background.job values the code registers that docs/OPERATIONS.md's job.failures row does not name")
                .isEmpty();
    }

    /**
     * "Counters with tags (...) appear on /actuator/prometheus only once they first count": the list must be the tagged
     * counters StreamsMetrics registers on first use only. It names {@code qt.streams.redis.commit.redirects}, which
     * StreamsRuntime registers at start as a function counter (both kinds, on a Redis Cluster), and omits
     * {@code qt.streams.global.resets} and {@code qt.streams.state.lost}, registered only by the call that counts
     * (StreamsMetrics#globalTableReset, #stateLost): an {@code increase(...)} alert on those misses the first count.
     */
    @Test
    void theFirstCountParagraphListsExactlyTheLazilyRegisteredTaggedCounters() throws IOException {
        String metrics = read(MAIN.resolve("streams/metrics/StreamsMetrics.java"));
        Set<String> lazy = new TreeSet<>();
        for (String name : all(Pattern.compile("Counter\\.builder\\(PREFIX \\+ \"([a-z.]+)\"\\)"), metrics)) {
            lazy.add("qt.streams." + name);
        }
        // registered for every processor node at its task's first batch (SubtopologyExecutor.NodeStats#report)
        lazy.remove("qt.streams.node.records.in");
        lazy.remove("qt.streams.node.records.out");
        // registered at 0 (the paragraph's second sentence, and RetentionTrimmer "0 too")
        lazy.removeAll(Set.of("qt.streams.ingest.rejected", "qt.streams.records.dropped", "qt.streams.node.records.counted",
                "qt.streams.input.deleted.unread", "qt.streams.retention.trimmed", "qt.streams.state.lost",
                "qt.streams.global.resets"));

        String ops = read(OPERATIONS);
        int end = ops.indexOf("appear on `/actuator/prometheus` only once");
        int start = ops.lastIndexOf("Counters with tags (", end);
        assertThat(start).isPositive();
        Set<String> listed = all(Pattern.compile("`(qt\\.streams\\.[a-z.]+)`"), ops.substring(start, end));

        Set<String> registeredAtStart = new TreeSet<>();
        String runtime = read(MAIN.resolve("streams/runtime/StreamsRuntime.java"));
        for (String name : all(Pattern.compile("metrics\\.(?:functionCounter|gauge)\\(\"([a-z.]+)\""), runtime)) {
            registeredAtStart.add("qt.streams." + name);
        }
        assertThat(listed).as("listed as appearing only once they first count, but registered when the runtime starts")
                .doesNotContainAnyElementsOf(registeredAtStart);
        assertThat(listed).as("the paragraph's list against the tagged counters registered on first use only")
                .containsExactlyInAnyOrderElementsOf(lazy);
    }
}
