package io.quantumtrader.streams.dsl;

import java.util.Objects;

/**
 * The name of a topology node, as Kafka Streams' {@code Named}. Unnamed nodes get generated names in Kafka's
 * format ({@code KSTREAM-FILTER-0000000003}); name the nodes you want to find in metrics, DLQ reasons and diagrams.
 */
public final class Named {
    private final String name;

    private Named(String name) {
        this.name = name;
    }

    /**
     * @param name node name: letters, digits, '.', '_' and '-' only
     * @throws IllegalArgumentException for an empty name or other characters
     */
    public static Named as(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("node name '" + name + "' may only contain letters, digits, '.', '_' and '-'");
        }
        return new Named(name);
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
