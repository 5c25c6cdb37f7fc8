package io.quantumtrader.streams.redis;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stream catalog: partitions, MAXLEN and retention per stream, read from YAML of this shape:
 * <pre>
 * defaults: { partitions: 1, maxlen: 0, retention: 7d }
 * streams:
 *   market.tick.price: { key: symbol, partitions: 1, maxlen: 100000, retention: 1h }
 *   audit.decision.log: { retention: permanent }
 * </pre>
 * Durations are {@code <n>ms|s|m|h|d} or {@code permanent}. A stream missing from the catalog gets the defaults; its
 * dead-letter stream {@code <s>.dlq} gets the partitions of {@code <s>}, no MAXLEN and 30 days of retention.
 */
public final class StreamCatalog {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final StreamSpec defaults;
    private final Map<String, StreamSpec> streams;
    private final Map<String, StreamSpec> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    public StreamCatalog(StreamSpec defaults, Map<String, StreamSpec> streams) {
        this.defaults = defaults;
        this.streams = Map.copyOf(streams);
    }

    /** @return one partition per stream, no MAXLEN, no retention trimming */
    public static StreamCatalog defaults() {
        return new StreamCatalog(new StreamSpec("*", null, 1, 0, null), Map.of());
    }

    /** @throws IllegalArgumentException on an unreadable file or an invalid entry, naming the stream */
    public static StreamCatalog load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stream catalog " + path, e);
        }
    }

    /** @throws IllegalArgumentException on invalid YAML or an invalid entry, naming the stream */
    public static StreamCatalog load(InputStream in) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(in);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("stream catalog is not valid YAML: " + e.getMessage(), e);
        }
        StreamSpec base = new StreamSpec("*", null, 1, 0, null);
        JsonNode d = root.path("defaults");
        StreamSpec defaults = spec("*", d, base);
        Map<String, StreamSpec> streams = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("streams").properties()) {
            streams.put(e.getKey(), spec(e.getKey(), e.getValue(), defaults));
        }
        return new StreamCatalog(defaults, streams);
    }

    /** @return the spec of a stream (catalog entry, or defaults, or the dead-letter default); cached */
    public StreamSpec spec(String stream) {
        return resolved.computeIfAbsent(stream, this::resolve);
    }

    private StreamSpec resolve(String stream) {
        StreamSpec s = streams.get(stream);
        if (s != null) {
            return s;
        }
        if (stream.endsWith(".dlq")) {
            String origin = stream.substring(0, stream.length() - 4);
            return new StreamSpec(stream, null, resolve(origin).partitions(), 0, Duration.ofDays(30));
        }
        return new StreamSpec(stream, null, defaults.partitions(), defaults.maxLen(), defaults.retention());
    }

    /** @return the catalog entries by name */
    public Map<String, StreamSpec> streams() {
        return streams;
    }

    private static StreamSpec spec(String name, JsonNode n, StreamSpec defaults) {
        try {
            int partitions = n.has("partitions") ? n.get("partitions").asInt() : defaults.partitions();
            long maxLen = n.has("maxlen") ? n.get("maxlen").asLong() : defaults.maxLen();
            Duration retention = n.has("retention") ? duration(n.get("retention").asString()) : defaults.retention();
            String key = n.has("key") ? n.get("key").asString() : null;
            return new StreamSpec(name, key, partitions, maxLen, retention);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stream catalog entry '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Parses {@code 30s}, {@code 1h}, {@code 7d}, {@code 250ms}; {@code permanent} → {@code null}. */
    static Duration duration(String text) {
        if (text == null || text.equalsIgnoreCase("permanent")) {
            return null;
        }
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("duration '" + text + "' is not <n>ms|s|m|h|d or 'permanent'");
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(v);
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            default -> Duration.ofDays(v);
        };
    }
}
