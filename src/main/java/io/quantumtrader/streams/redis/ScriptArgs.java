package io.quantumtrader.streams.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * UTF-8 encodings of the script arguments that recur in every batch — small counts and key indexes, field names — made
 * once and shared, so that a 500-output commit (about 3,500 arguments) encodes only the values that change. A list of
 * script arguments holds {@code String}s and such {@code byte[]}s ({@link LuaScript} sends both).
 */
final class ScriptArgs {

    private static final int SMALL = 4096;
    private static final byte[][] NUMBERS = new byte[SMALL][];
    /** Bounded: beyond this many distinct names, names are encoded per use like any value. */
    private static final int MAX_NAMES = 4096;
    private static final ConcurrentHashMap<String, byte[]> NAMES = new ConcurrentHashMap<>();

    static {
        for (int i = 0; i < SMALL; i++) {
            NUMBERS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ScriptArgs() {
    }

    /** @return {@code n} in decimal: a shared encoding for 0 ≤ n < 4096, else its string */
    static Object number(long n) {
        return n >= 0 && n < SMALL ? NUMBERS[(int) n] : Long.toString(n);
    }

    /** @return a field name's shared UTF-8 encoding (the name itself once 4,096 distinct names are cached) */
    static Object name(String name) {
        byte[] cached = NAMES.get(name);
        if (cached != null) {
            return cached;
        }
        if (NAMES.size() >= MAX_NAMES) {
            return name;
        }
        return NAMES.computeIfAbsent(name, n -> n.getBytes(StandardCharsets.UTF_8));
    }

    /** @return an argument as sent: a {@code byte[]} as it is, anything else as its string's UTF-8 bytes */
    static byte[] bytes(Object arg) {
        return arg instanceof byte[] b ? b : arg.toString().getBytes(StandardCharsets.UTF_8);
    }
}
