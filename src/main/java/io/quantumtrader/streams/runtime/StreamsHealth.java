package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.Topology;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Health of a topology's consumer groups, read from Redis (XINFO GROUPS / CONSUMERS, XPENDING), so it also sees a
 * topology no live instance runs. Catches the failure the seed audit found (34 stale consumers, lag 10,014, trades
 * never executed):
 * <ul>
 *   <li>DOWN: a source has entries waiting (lag or pending) and no live consumer in its group; or the runtime is in ERROR;</li>
 *   <li>OUT_OF_SERVICE: lag above {@code maxLag}, oldest pending entry older than {@code maxOldestPendingAge}, or more
 *       than {@code maxStaleConsumers} stale consumers (idle at least {@code staleConsumerIdle});</li>
 *   <li>UP otherwise.</li>
 * </ul>
 */
public final class StreamsHealth {

    /** Worst first, as Spring Boot orders them. */
    public enum Status { DOWN, OUT_OF_SERVICE, UP }

    /**
     * @param maxLag              entries not yet delivered, per source partition
     * @param maxOldestPendingAge age of the oldest unacknowledged entry
     * @param maxStaleConsumers   stale consumers tolerated per group and source partition
     * @param staleConsumerIdle   a consumer idle this long is stale (not live)
     */
    public record Thresholds(long maxLag, Duration maxOldestPendingAge, int maxStaleConsumers, Duration staleConsumerIdle) {
        /** @return lag 1,000, oldest pending 60 s, 5 stale consumers, stale after 5 min idle */
        public static Thresholds defaults() {
            return new Thresholds(1_000, Duration.ofSeconds(60), 5, Duration.ofMinutes(5));
        }
    }

    /**
     * @param status   the worst status found
     * @param problems one sentence per problem, naming group, stream and partition
     * @param sources  per {@code <group>/<stream>/<partition>}: lag, pending, oldest pending age (ms), live and stale consumers
     */
    public record Report(Status status, List<String> problems, Map<String, Map<String, Object>> sources) {
    }

    private final Topology topology;
    private final StreamsConfig config;
    private final StreamAdmin admin;
    private final Thresholds thresholds;
    private final Supplier<RuntimeState> runtimeState;

    /** @param runtimeState the local runtime's state, or {@code null} to judge from Redis only */
    public StreamsHealth(Topology topology, StreamsConfig config, ReactiveStringRedisTemplate redis, Thresholds thresholds,
                         Supplier<RuntimeState> runtimeState) {
        this.topology = topology;
        this.config = config;
        this.admin = new StreamAdmin(redis);
        this.thresholds = thresholds;
        this.runtimeState = runtimeState;
    }

    /** @return the current report */
    public Mono<Report> check() {
        StreamKeys keys = new StreamKeys(config.namespace());
        List<Mono<SourceCheck>> checks = new ArrayList<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            String group = StreamKeys.group(topology.applicationId(), s.id());
            for (String stream : s.sourceStreams()) {
                for (int p = 0; p < config.catalog().spec(stream).partitions(); p++) {
                    String key = keys.stream(stream, p);
                    String name = group + "/" + stream + "/" + p;
                    checks.add(Mono.zip(admin.groupLag(key, group), admin.consumers(key, group))
                            .map(t -> new SourceCheck(name, t.getT1(), t.getT2())));
                }
            }
        }
        return Flux.concat(checks).collectList().map(this::report);
    }

    private record SourceCheck(String name, StreamAdmin.GroupLag lag, List<StreamAdmin.ConsumerInfo> consumers) {
    }

    private Report report(List<SourceCheck> checks) {
        Status status = Status.UP;
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
        RuntimeState state = runtimeState == null ? null : runtimeState.get();
        if (state == RuntimeState.ERROR) {
            status = Status.DOWN;
            problems.add("the runtime stopped with an error; see the log");
        }
        long now = System.currentTimeMillis();
        for (SourceCheck c : checks) {
            long live = c.consumers().stream().filter(x -> x.idleMs() < thresholds.staleConsumerIdle().toMillis()).count();
            long stale = c.consumers().size() - live;
            long ageMs = c.lag().oldestPendingAgeMs(now);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("lag", c.lag().lag());
            d.put("pending", c.lag().pending());
            d.put("oldestPendingAgeMs", ageMs);
            d.put("liveConsumers", live);
            d.put("staleConsumers", stale);
            sources.put(c.name(), d);
            boolean waiting = c.lag().lag() > 0 || c.lag().pending() > 0;
            if (waiting && live == 0) {
                status = Status.DOWN;
                problems.add(c.name() + ": " + c.lag().lag() + " entries unread and " + c.lag().pending()
                        + " pending with no live consumer (" + stale + " stale)");
            }
            if (c.lag().lag() > thresholds.maxLag()) {
                status = worst(status, Status.OUT_OF_SERVICE);
                problems.add(c.name() + ": lag " + c.lag().lag() + " > " + thresholds.maxLag());
            }
            if (ageMs > thresholds.maxOldestPendingAge().toMillis()) {
                status = worst(status, Status.OUT_OF_SERVICE);
                problems.add(c.name() + ": oldest pending entry is " + ageMs / 1000 + " s old > "
                        + thresholds.maxOldestPendingAge().toSeconds() + " s");
            }
            if (stale > thresholds.maxStaleConsumers()) {
                status = worst(status, Status.OUT_OF_SERVICE);
                problems.add(c.name() + ": " + stale + " stale consumers > " + thresholds.maxStaleConsumers());
            }
        }
        return new Report(status, List.copyOf(problems), sources);
    }

    private static Status worst(Status a, Status b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}
