package io.quantumtrader.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.search.Search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers on the live topology page at one moment, read from the application's meters (the same ones
 * {@code /actuator/prometheus} exports): cumulative counts per node, consumer lag per group/stream/partition,
 * backpressure and commits per task, and totals. The page turns counts into rates from one reading to the next.
 *
 * @param time   when the meters were read, epoch ms
 * @param state  1 while the runtime is RUNNING ({@code qt.streams.state})
 * @param health 2 UP, 1 OUT_OF_SERVICE, 0 DOWN, -1 unknown ({@code qt.streams.health})
 * @param totals cumulative counters: recordsIn, recordsOut, commits, deadLettered, lateDropped, dropped (by stages:
 *               a null key or value, a time no window can hold), taskRestarts, processorRetries, reclaimed
 * @param nodes  per processor node name
 * @param lag    per source partition of every consumer group
 * @param tasks  per task id ({@code <sub-topology>_<partition>})
 */
public record LiveTopologySnapshot(long time, double state, double health, Map<String, Double> totals,
                                   Map<String, NodeMeters> nodes, List<SourceLag> lag, List<TaskMeters> tasks) {

    /** Cumulative records into and out of a processor node, and the seconds it spent on them. */
    public record NodeMeters(double in, double out, double processSeconds) {
    }

    /**
     * A consumer group's position on one partition of a stream (read from Redis every few seconds).
     *
     * @param known false while the lag gauges are NaN (the instance could not read the lag 3 times in a row, e.g. Redis
     *              unreachable): lag, pending and age are then 0 and mean nothing, and the page shows the lag as unknown
     */
    public record SourceLag(String group, String stream, int partition, double lag, double pending, double oldestPendingAgeSeconds,
                            boolean known) {
    }

    /**
     * One task's backpressure (demand, entries read ahead, seconds without demand), commits (count, seconds) and the
     * input entries event-time alignment holds back ({@code qt.streams.task.aligner.held}).
     */
    public record TaskMeters(String task, double demand, double readAhead, double noDemandSeconds, double commits,
                             double commitSeconds, double commitMaxSeconds, double held) {
    }

    private static final Map<String, String> TOTALS = Map.of(
            "recordsIn", "qt.streams.records.in", "recordsOut", "qt.streams.records.out", "commits", "qt.streams.commits",
            "deadLettered", "qt.streams.deadlettered", "lateDropped", "qt.streams.late.records.dropped",
            "dropped", "qt.streams.records.dropped",
            "taskRestarts", "qt.streams.task.restarts", "processorRetries", "qt.streams.processor.retries",
            "reclaimed", "qt.streams.reclaimed");

    /** @return the meters of {@code application} in {@code registry} now */
    public static LiveTopologySnapshot read(MeterRegistry registry, String application) {
        Map<String, Double> totals = new TreeMap<>();
        TOTALS.forEach((key, meter) -> totals.put(key, sum(find(registry, meter, application).meters(), Statistic.COUNT)));

        Map<String, NodeMeters> nodes = new TreeMap<>();
        Map<String, Double> in = byTag(registry, "qt.streams.node.records.in", application, "node", Statistic.COUNT);
        Map<String, Double> out = byTag(registry, "qt.streams.node.records.out", application, "node", Statistic.COUNT);
        Map<String, Double> time = byTag(registry, "qt.streams.node.process", application, "node", Statistic.TOTAL_TIME);
        in.forEach((node, v) -> nodes.put(node, new NodeMeters(v, out.getOrDefault(node, 0.0), time.getOrDefault(node, 0.0))));

        Map<String, double[]> lagByKey = new TreeMap<>();
        java.util.Set<String> unknownLag = new java.util.HashSet<>();
        String[] lagMeters = {"qt.streams.consumer.lag", "qt.streams.consumer.pending", "qt.streams.consumer.oldest.pending.age.seconds"};
        for (int i = 0; i < lagMeters.length; i++) {
            for (Meter m : find(registry, lagMeters[i], application).meters()) {
                String key = m.getId().getTag("group") + "|" + m.getId().getTag("stream") + "|" + m.getId().getTag("partition");
                lagByKey.computeIfAbsent(key, k -> new double[3])[i] = value(m, Statistic.VALUE);
                if (i == 0 && isNaN(m)) {
                    unknownLag.add(key);
                }
            }
        }
        List<SourceLag> lag = new ArrayList<>();
        lagByKey.forEach((key, v) -> {
            String[] parts = key.split("\\|", 3);
            lag.add(new SourceLag(parts[0], parts[1], Integer.parseInt(parts[2]), v[0], v[1], v[2], !unknownLag.contains(key)));
        });

        Map<String, Double> demand = byTag(registry, "qt.streams.backpressure.demand", application, "task", Statistic.VALUE);
        Map<String, Double> readAhead = byTag(registry, "qt.streams.backpressure.read.ahead", application, "task", Statistic.VALUE);
        Map<String, Double> noDemand = byTag(registry, "qt.streams.backpressure.no.demand.seconds", application, "task", Statistic.COUNT);
        Map<String, Double> commits = byTag(registry, "qt.streams.task.commit", application, "task", Statistic.COUNT);
        Map<String, Double> commitTime = byTag(registry, "qt.streams.task.commit", application, "task", Statistic.TOTAL_TIME);
        Map<String, Double> commitMax = byTag(registry, "qt.streams.task.commit", application, "task", Statistic.MAX);
        Map<String, Double> held = byTag(registry, "qt.streams.task.aligner.held", application, "task", Statistic.VALUE);
        List<TaskMeters> tasks = demand.keySet().stream().sorted(Comparator.naturalOrder())
                .map(t -> new TaskMeters(t, demand.get(t), readAhead.getOrDefault(t, 0.0), noDemand.getOrDefault(t, 0.0),
                        commits.getOrDefault(t, 0.0), commitTime.getOrDefault(t, 0.0), commitMax.getOrDefault(t, 0.0),
                        held.getOrDefault(t, 0.0)))
                .toList();

        double state = sum(find(registry, "qt.streams.state", application).meters(), Statistic.VALUE);
        List<Meter> healthMeters = new ArrayList<>(find(registry, "qt.streams.health", application).meters());
        double health = healthMeters.isEmpty() ? HealthMeter.UNKNOWN : value(healthMeters.get(0), Statistic.VALUE);
        return new LiveTopologySnapshot(System.currentTimeMillis(), state, health, totals, nodes, List.copyOf(lag), tasks);
    }

    private static Search find(MeterRegistry registry, String name, String application) {
        return registry.find(name).tag("application", application);
    }

    private static Map<String, Double> byTag(MeterRegistry registry, String name, String application, String tag, Statistic statistic) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Meter m : find(registry, name, application).meters()) {
            values.merge(m.getId().getTag(tag), value(m, statistic), Double::sum);
        }
        return values;
    }

    private static double sum(Iterable<Meter> meters, Statistic statistic) {
        double total = 0;
        for (Meter m : meters) {
            total += value(m, statistic);
        }
        return total;
    }

    /** @return true when the gauge's value is NaN (not known: the lag gauges after failed reads) */
    private static boolean isNaN(Meter meter) {
        for (Measurement m : meter.measure()) {
            if (m.getStatistic() == Statistic.VALUE) {
                return Double.isNaN(m.getValue());
            }
        }
        return false;
    }

    private static double value(Meter meter, Statistic statistic) {
        for (Measurement m : meter.measure()) {
            if (m.getStatistic() == statistic) {
                double v = m.getValue();
                return Double.isFinite(v) ? v : 0;
            }
        }
        return 0;
    }
}
