package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.StreamKeys;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The topologies recorded in a namespace's {@link StreamKeys#topologies()} hash (fingerprint → when it first ran,
 * Redis' clock in epoch ms, written by {@link Membership}) as first run after a given one: the releases newer than it,
 * by the rule of {@link TopologyVersions}. Read once at the start, before {@link RenumberedSubtopologyCheck}, so that an
 * old-release instance restarted during a rolling update does not call a newer release's consumer groups abandoned.
 * The hash is per namespace, shared by its applications: another application's topology first run later counts too
 * (its warning is then the cautious one).
 */
final class NewerTopologies {

    private NewerTopologies() {
    }

    /**
     * @param fingerprint this instance's topology ({@link TopologyVersions#fingerprint})
     * @return the topologies first run after {@code fingerprint}, for people ("topology &lt;fingerprint&gt; (first ran
     *         &lt;ISO instant&gt;)", comma separated, oldest first); empty when none, or when {@code fingerprint} is not
     *         recorded (its first start in the namespace: it becomes the newest, or the hash was lost) or a value is not
     *         a number
     */
    static Mono<String> describe(ReactiveStringRedisTemplate redis, StreamKeys keys, String fingerprint) {
        return redis.<String, String>opsForHash().entries(keys.topologies())
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(recorded -> describe(recorded, fingerprint));
    }

    /** {@link #describe(ReactiveStringRedisTemplate, StreamKeys, String)} over the hash's fields and values. */
    static String describe(Map<String, String> recorded, String fingerprint) {
        Long own = millis(recorded.get(fingerprint));
        if (own == null) {
            return "";
        }
        Map<Long, String> newer = new TreeMap<>();
        recorded.forEach((f, v) -> {
            Long t = millis(v);
            if (t != null && t > own && !f.equals(fingerprint)) {
                newer.merge(t, "topology " + f + " (first ran " + Instant.ofEpochMilli(t) + ")", (a, b) -> a + ", " + b);
            }
        });
        return newer.values().stream().collect(Collectors.joining(", "));
    }

    private static Long millis(String value) {
        try {
            return value == null ? null : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
