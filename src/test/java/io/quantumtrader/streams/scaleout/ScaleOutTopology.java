package io.quantumtrader.streams.scaleout;

import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.dsl.Named;
import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyBuilder;
import io.quantumtrader.streams.processor.Processor;
import io.quantumtrader.streams.processor.ProcessorContext;
import io.quantumtrader.streams.record.Record;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.streams.state.KeyValueStore;
import io.quantumtrader.streams.state.StoreSpec;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine topology the scale-out tests and benchmarks run (its own catalog: every stream has {@link #PARTITIONS}
 * partitions): a running count per key in a state store, emitted as {@link Counted}. Exactly-once and per-key order
 * show in the output: the n-th event of a key must come out as {@code (key, n, n)}, in order.
 */
public final class ScaleOutTopology {

    public static final int PARTITIONS = 6;
    public static final String APPLICATION = "scaleout";
    public static final StreamCatalog CATALOG = catalog(PARTITIONS);

    /** @return a catalog giving every stream {@code partitions} partitions */
    public static StreamCatalog catalog(int partitions) {
        return new StreamCatalog(new StreamSpec("*", null, partitions, 0, null), Map.of());
    }

    /** The count of {@code key} after its event number {@code seq}. */
    public record Counted(String key, long seq, long count) {
    }

    private ScaleOutTopology() {
    }

    /**
     * @param work extra work per record, for benchmarks: {@code none}, {@code io:<micros>} (waits, like a remote call)
     *             or {@code cpu:<iterations>} (computes)
     */
    public static Topology build(String work) {
        TopologyBuilder b = new TopologyBuilder(APPLICATION);
        b.addStateStore(StoreSpec.keyValueStore("counts", Long.class));
        b.stream("events", Tick.class, Named.as("events-source"))
                .process(() -> new RunningCount(work), Named.as("running-count"), "counts")
                .to("counted", Named.as("counted-sink"));
        return b.build();
    }

    static final class RunningCount implements Processor<String, Tick, String, Counted> {
        private final String work;
        private ProcessorContext<String, Counted> context;
        private KeyValueStore<String, Long> counts;
        private long sink;

        RunningCount(String work) {
            this.work = work;
        }

        @Override
        public void init(ProcessorContext<String, Counted> context) {
            this.context = context;
            this.counts = context.getStateStore("counts");
        }

        @Override
        public void process(Record<String, Tick> record) {
            doWork();
            Long previous = counts.get(record.key());
            long next = previous == null ? 1 : previous + 1;
            counts.put(record.key(), next);
            context.forward(record.withValue(new Counted(record.key(), record.value().seq(), next)));
        }

        private void doWork() {
            if (work.startsWith("io:")) {
                LockSupport.parkNanos(Long.parseLong(work.substring(3)) * 1000);
            } else if (work.startsWith("cpu:")) {
                long x = sink;
                for (long i = Long.parseLong(work.substring(4)); i > 0; i--) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
                sink = x;
            }
        }
    }

    /** @return events {@code seq = 1..perKey} for keys {@code K0..K<keys-1>}, seq-major (K0#1, K1#1, ..., K0#2, ...) */
    public static List<EventPublisher.Event> events(int keys, int perKey) {
        List<EventPublisher.Event> out = new ArrayList<>(keys * perKey);
        for (int seq = 1; seq <= perKey; seq++) {
            for (int k = 0; k < keys; k++) {
                String key = "K" + k;
                out.add(new EventPublisher.Event("events", key, new Tick(key, 100 + seq * 0.01, seq), 1_700_000_000_000L + seq));
            }
        }
        return out;
    }

    /** @return every output entry of one partition, in order, as {@code subject|data} */
    public static List<String> outputs(ReactiveStringRedisTemplate redis, String namespace, int partition) {
        return redis.opsForStream().range(new StreamKeys(namespace).stream("counted", partition), Range.unbounded())
                .map(io.quantumtrader.streams.redis.StreamEntry::fieldsOf)
                .map(f -> f.get("subject") + "|" + f.get("data"))
                .collectList().block();
    }

    /** @return how many output entries all partitions hold */
    public static long outputCount(ReactiveStringRedisTemplate redis, String namespace) {
        long n = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            n += redis.opsForStream().size(new StreamKeys(namespace).stream("counted", p)).block();
        }
        return n;
    }

    /**
     * Checks the outputs of a run against the uninterrupted reference run: per partition the same outputs in the same
     * order (nothing lost, nothing duplicated, per-key order intact), event ids unique.
     *
     * @return problems found, empty when none
     */
    public static List<String> compare(ReactiveStringRedisTemplate redis, String namespace, String referenceNamespace) {
        List<String> problems = new ArrayList<>();
        Set<String> eventIds = new HashSet<>();
        long outputs = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            List<String> actual = outputs(redis, namespace, p);
            List<String> expected = outputs(redis, referenceNamespace, p);
            if (!actual.equals(expected)) {
                problems.add("partition " + p + ": " + actual.size() + " outputs, reference " + expected.size()
                        + "; first difference at " + firstDifference(actual, expected));
            }
            for (Map<String, String> f : redis.opsForStream().range(new StreamKeys(namespace).stream("counted", p), Range.unbounded())
                    .map(io.quantumtrader.streams.redis.StreamEntry::fieldsOf).collectList().block()) {
                outputs++;
                eventIds.add(f.get("id"));
            }
        }
        if (eventIds.size() != outputs) {
            problems.add((outputs - eventIds.size()) + " duplicate output event ids");
        }
        return problems;
    }

    /** @return per key, the problems of the {@code (key, n, n)} sequence (gaps, repeats, wrong counts) */
    public static List<String> checkSequences(ReactiveStringRedisTemplate redis, String namespace, int perKey) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> lastSeq = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (String line : outputs(redis, namespace, p)) {
                String key = line.substring(0, line.indexOf('|'));
                long seq = Long.parseLong(line.replaceAll(".*\"seq\":(\\d+).*", "$1"));
                long count = Long.parseLong(line.replaceAll(".*\"count\":(\\d+).*", "$1"));
                long expected = lastSeq.getOrDefault(key, 0L) + 1;
                if (seq != expected || count != seq) {
                    problems.add(key + ": got seq " + seq + " count " + count + ", expected seq " + expected);
                }
                lastSeq.put(key, seq);
            }
        }
        lastSeq.forEach((k, s) -> {
            if (s != perKey) {
                problems.add(k + ": last seq " + s + " of " + perKey);
            }
        });
        return problems;
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "#" + i + ": " + a.get(i) + " vs " + b.get(i);
            }
        }
        return "#" + Math.min(a.size(), b.size()) + " (one is a prefix of the other)";
    }
}
