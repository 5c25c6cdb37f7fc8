package io.quantumtrader.streams.record;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jackson JSON serde. The default mapper writes snake_case field names (the stream catalog's convention, DESIGN §6),
 * fails on {@code null} for primitive fields, on a property named twice in one object and on a number with a
 * fraction (even {@code .0}) for an integer field, and lets a record's compact constructor reject invalid values (required
 * fields, ranges): any of these surfaces as a {@link SerializationException}, which sends the entry to the dead-letter
 * stream. Boxed and object fields may be {@code null}.
 *
 * <p>The default mapper recycles its buffers per thread ({@code JsonRecyclerPools.threadLocalPool()}, Jackson 2's
 * default) instead of Jackson 3's default, a concurrent deque per factory: the engine serializes on a few long-lived
 * platform threads, where the deque's acquire and release were about a third of {@code serialize}'s JFR samples in
 * {@code bench}; a tick-shaped record is written in ~242 instead of ~296 ns and read in ~420 instead of 455–490 ns
 * ({@code JsonRecyclerPoolBenchmark}, docs/BENCHMARKS.md 2026-12-04 08:37 section). It calls a record's constructor
 * through a method handle spread once per type ({@link CreatorInvokers}) instead of Jackson 3's per-call
 * {@code invokeWithArguments}.
 *
 * @param <T> the value type
 */
public final class JsonSerde<T> implements Serde<T> {

    private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.threadLocalPool())
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // a value read must be the value written: a property twice ({"price":1,"price":1000}) is one reader's 1
            // and another's 1000, and 7.9 read into a long was 7 (Jackson's defaults: the last property wins, a
            // fraction is cut off). Found by the review of 2026-12-06 (HostileEntryTest); refused instead
            .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addModule(CreatorInvokers.module())
            .build();

    private final JsonMapper mapper;
    private final Class<T> type;
    private final tools.jackson.databind.ObjectReader reader;
    private final tools.jackson.databind.ObjectWriter writer;

    public JsonSerde(Class<T> type) {
        this(DEFAULT_MAPPER, type);
    }

    public JsonSerde(JsonMapper mapper, Class<T> type) {
        this.mapper = mapper;
        this.type = type;
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writer();
    }

    /** @return the shared default mapper (snake_case, strict on missing values) */
    public static JsonMapper defaultMapper() {
        return DEFAULT_MAPPER;
    }

    /** @return the value class this serde decodes */
    public Class<T> type() {
        return type;
    }

    /** @return whether {@link #type()} is known to be immutable ({@code ImmutableValues}: records of plain values, …) */
    @Override
    public boolean immutableValues() {
        return ImmutableValues.of(type);
    }

    @Override
    public String serialize(T value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T deserialize(String text) {
        try {
            return reader.readValue(text);
        } catch (JacksonException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String reason = root == e ? e.getOriginalMessage() : root.getMessage();
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": " + reason, e);
        }
    }
}
