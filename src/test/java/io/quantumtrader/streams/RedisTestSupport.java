package io.quantumtrader.streams;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One embedded Redis 7.0.15 per test JVM (never the machine's 6379), and helpers to read streams back. Tests isolate
 * themselves by using a fresh key namespace each.
 */
public final class RedisTestSupport {

    private static RedisConnection connection;
    private static RedisConnection override;

    private RedisTestSupport() {
    }

    /**
     * @return the Redis tests run on: the one set by {@link #use} (a Redis Cluster for the conformance tests on a
     *         cluster), else the shared embedded Redis, started on first use and stopped when the JVM exits
     */
    public static synchronized RedisConnection redis() {
        if (override != null) {
            return override;
        }
        if (connection == null) {
            connection = RedisConnection.embedded();
            Runtime.getRuntime().addShutdownHook(new Thread(connection::close));
        }
        return connection;
    }

    /**
     * Runs the following tests on {@code redis} (e.g. a Redis Cluster) until {@code use(null)}; test classes run one
     * after the other in the test JVM, so a class sets it in {@code @BeforeAll} and clears it in {@code @AfterAll}.
     */
    public static synchronized void use(RedisConnection redis) {
        override = redis;
    }

    public static ReactiveStringRedisTemplate template() {
        return redis().template();
    }

    /** @return a namespace no other test uses */
    public static String freshNamespace() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static EventPublisher publisher(String namespace, StreamCatalog catalog) {
        return new EventPublisher(template(), new StreamKeys(namespace), catalog, "test");
    }

    /** @return every entry of a stream partition in order, as field maps */
    public static List<Map<String, String>> entries(String namespace, String stream, int partition) {
        return entriesOf(template(), namespace, stream, partition);
    }

    /**
     * @return the data of every entry of {@code stream}'s partition, in id order, each a JSON string value with its
     *         quotes taken off ({@code "L1"} → {@code L1}): what the alignment tests' topologies of strings write
     */
    public static List<String> stringValues(String namespace, String stream, int partition) {
        List<String> out = new java.util.ArrayList<>();
        for (Map<String, String> f : entries(namespace, stream, partition)) {
            String data = io.quantumtrader.streams.record.Envelope.fromFields(f).data();
            out.add(data.substring(1, data.length() - 1));
        }
        return out;
    }

    /** @return every entry of a stream partition on {@code redis} in order, as field maps */
    public static List<Map<String, String>> entriesOf(ReactiveStringRedisTemplate redis, String namespace, String stream, int partition) {
        String key = new StreamKeys(namespace).stream(stream, partition);
        return redis.opsForStream().range(key, Range.unbounded())
                .map(io.quantumtrader.streams.redis.StreamEntry::fieldsOf)
                .collectList().block();
    }

    /** @return the decoded payloads of a stream partition, in order */
    public static <T> List<T> values(String namespace, String stream, int partition, Class<T> type) {
        JsonSerde<T> serde = new JsonSerde<>(type);
        return entries(namespace, stream, partition).stream()
                .map(f -> serde.deserialize(Envelope.fromFields(f).data()))
                .toList();
    }

    public static long length(String namespace, String stream, int partition) {
        return template().opsForStream().size(new StreamKeys(namespace).stream(stream, partition)).block();
    }

}
