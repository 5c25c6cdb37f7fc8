package io.quantumtrader.streams.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default mapper's creators are called through a spreader built once ({@link CreatorInvokers}), and decode exactly
 * what Jackson's own instantiator decodes, errors included. The reference is a mapper without the module (Jackson
 * alone), so the comparison is between two independent paths.
 */
class CreatorInvokersTest {

    /** Jackson alone: the default mapper's settings without {@link CreatorInvokers}. */
    private static final JsonMapper JACKSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Remembers whether its constructor was called through {@code MethodHandle.invokeWithArguments}. */
    public record Probe(String name, double price, long at) {
        static volatile boolean lastCallSpreadPerCall;

        public Probe {
            lastCallSpreadPerCall = StackWalker.getInstance().walk(frames -> frames
                    .anyMatch(f -> f.getClassName().equals("java.lang.invoke.MethodHandle")
                            && f.getMethodName().equals("invokeWithArguments")));
        }
    }

    /** A compact constructor that checks its domain, boxed and nested values, and a list. */
    public record Order(String symbol, double quantity, Integer priority, Leg leg, List<String> tags) {
        public Order {
            if (symbol == null || symbol.isBlank()) {
                throw new IllegalArgumentException("symbol is required");
            }
            if (quantity <= 0) {
                throw new IllegalArgumentException("quantity must be > 0, was " + quantity);
            }
        }
    }

    public record Leg(String venue, long price) {
    }

    /** A creator that is a static factory, not a constructor. */
    public static final class Quote {
        final String symbol;
        final double bid;

        private Quote(String symbol, double bid) {
            this.symbol = symbol;
            this.bid = bid;
        }

        @JsonCreator
        public static Quote of(@JsonProperty("symbol") String symbol, @JsonProperty("bid") double bid) {
            if (bid < 0) {
                throw new IllegalStateException("bid must be >= 0");
            }
            return new Quote(symbol, bid);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Quote q && q.symbol.equals(symbol) && q.bid == bid;
        }

        @Override
        public int hashCode() {
            return symbol.hashCode();
        }
    }

    /** Not public: reached through the access Jackson grants it, or left to Jackson's instantiator. */
    record Hidden(String a, int b) {
    }

    @Test
    void theDefaultMapperCallsARecordsConstructorWithoutSpreadingItsArgumentsPerCall() throws Exception {
        JACKSON.readValue("{\"name\":\"x\",\"price\":1.5,\"at\":3}", Probe.class);
        assertThat(Probe.lastCallSpreadPerCall).as("Jackson alone (the reason for CreatorInvokers)").isTrue();

        Probe p = new JsonSerde<>(Probe.class).deserialize("{\"name\":\"x\",\"price\":1.5,\"at\":3}");
        assertThat(Probe.lastCallSpreadPerCall).as("the default mapper").isFalse();
        assertThat(p).isEqualTo(new Probe("x", 1.5, 3));
    }

    @Test
    void decodesWhatJacksonAloneDecodes() throws Exception {
        Map<Class<?>, List<String>> inputs = Map.of(
                Order.class, List.of(
                        "{\"symbol\":\"BTC/USD\",\"quantity\":0.25,\"priority\":3,"
                                + "\"leg\":{\"venue\":\"paper\",\"price\":1043},\"tags\":[\"a\",\"b\"]}",
                        "{\"symbol\":\"ETH\",\"quantity\":1e-3}",
                        "{\"quantity\":2,\"symbol\":\"X\",\"priority\":null,\"unknown_is_ignored\":false}"),
                Quote.class, List.of("{\"symbol\":\"BTC\",\"bid\":1043.5}", "{\"bid\":0,\"symbol\":\"Z\"}"),
                Hidden.class, List.of("{\"a\":\"q\",\"b\":7}"));
        JsonMapper lenient = JACKSON.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        JsonMapper ours = JsonSerde.defaultMapper().rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        inputs.forEach((type, texts) -> texts.forEach(text ->
                assertThat((Object) ours.readValue(text, type)).as(text).isEqualTo(lenient.readValue(text, type))));
    }

    @Test
    void aCreatorsRejectionAndAMissingPrimitiveFailAsWithJacksonAlone() {
        List<String> bad = List.of(
                "{\"symbol\":\"\",\"quantity\":1}",          // the compact constructor's own check
                "{\"symbol\":\"BTC\",\"quantity\":-2}",
                "{\"symbol\":\"BTC\"}",                       // a missing primitive
                "{\"symbol\":\"BTC\",\"quantity\":\"many\"}",  // not a number
                "{\"symbol\":\"BTC\",\"quantity\":1,\"leg\":{\"venue\":\"v\",\"price\":\"x\"}}");
        JsonSerde<Order> jackson = new JsonSerde<>(JACKSON, Order.class);
        JsonSerde<Order> ours = new JsonSerde<>(Order.class);
        for (String text : bad) {
            String expected = messageOf(() -> jackson.deserialize(text));
            assertThat(expected).as(text).isNotNull();
            assertThatThrownBy(() -> ours.deserialize(text)).as(text)
                    .isInstanceOf(SerializationException.class)
                    .hasMessage(expected);
        }
        String factory = "{\"symbol\":\"BTC\",\"bid\":-1}";
        assertThatThrownBy(() -> new JsonSerde<>(Quote.class).deserialize(factory))
                .isInstanceOf(SerializationException.class)
                .hasMessage(messageOf(() -> new JsonSerde<>(JACKSON, Quote.class).deserialize(factory)))
                .hasMessageContaining("bid must be >= 0");
    }

    private static String messageOf(Runnable decode) {
        try {
            decode.run();
            return null;
        } catch (SerializationException e) {
            return e.getMessage();
        }
    }
}
