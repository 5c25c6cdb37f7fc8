package io.quantumtrader.streams.redis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run with EVALSHA (falling back to EVAL when the server does not have it cached, e.g. after a restart)
 * on the reactive connection, with keys and arguments encoded straight to UTF-8 buffers. Used for the hot paths
 * (commit, ordered append), where the generic script executor's per-argument serializer lookup cost more than the
 * script itself (profiled: docs/BENCHMARKS.md).
 */
public final class LuaScript {

    private final ByteBuffer source;
    private final byte[] sourceBytes;
    private final String sha1;

    private LuaScript(String text) {
        this.sourceBytes = text.getBytes(StandardCharsets.UTF_8);
        this.source = ByteBuffer.wrap(sourceBytes).asReadOnlyBuffer();
        try {
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JVM specification", e);
        }
    }

    /**
     * Loads {@code io/quantumtrader/streams/redis/<name>} from the classpath, prefixed with the shared functions of
     * {@code append-outputs.lib.lua} (Redis scripts cannot include one another) and a {@code #!lua} shebang without
     * flags: Redis 7 then treats the script as one that writes and, without {@code allow-oom}, refuses it before it
     * runs when memory is above {@code maxmemory} (instead of failing at its first write, halfway through a batch).
     */
    static LuaScript load(String name) {
        try {
            return new LuaScript("#!lua\n" + resource("append-outputs.lib.lua") + "\n" + resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load Lua script " + name, e);
        }
    }

    /**
     * @return the script's text with each line {@value #INCLUDE}{@code <file>} replaced by that file's text (Redis
     *         scripts cannot call one another; functions shared by several scripts live in {@code *.lib.lua} files)
     */
    private static String resource(String name) throws IOException {
        String text = new ClassPathResource("io/quantumtrader/streams/redis/" + name).getContentAsString(StandardCharsets.UTF_8);
        if (!text.contains(INCLUDE)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() * 2);
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(INCLUDE)) {
                out.append(resource(line.substring(INCLUDE.length()).strip()));
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** A line of a script that starts with this is replaced by the named file of this package. */
    static final String INCLUDE = "--#include ";

    /**
     * @return the text of {@code io/quantumtrader/streams/redis/<name>} as it is on the classpath (no shared functions,
     *         no shebang), UTF-8: for scripts sent with EVAL inside a transaction ({@link FencedReadConnection})
     * @throws UncheckedIOException when the script is not on the classpath
     */
    static byte[] plainSource(String name) {
        try {
            return resource(name).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load Lua script " + name, e);
        }
    }

    /**
     * A Spring Data Redis script of {@code io/quantumtrader/streams/redis/<name>} as it is on the classpath, its text
     * read once. {@code RedisScript.of(Resource, …)} checks the resource's last-modified time at every execution
     * ({@code ResourceScriptSource.isModified}), which inside the application jar opens a nested-jar URL connection
     * each time; the replay's JFR profile showed it, and the C2 compiler compiling Spring Boot's jar URL handler
     * (docs/BENCHMARKS.md, 2026-12-03 12:59 UTC).
     *
     * @param resultType the script's reply type ({@link Long}, {@link List}, …)
     * @throws UncheckedIOException when the script is not on the classpath
     */
    public static <T> RedisScript<T> springScript(String name, Class<T> resultType) {
        return RedisScript.of(new String(plainSource(name), StandardCharsets.UTF_8), resultType);
    }

    /**
     * Keys and arguments are encoded on the calling thread, when this method is called (not on the connection's I/O
     * thread when the script is sent). Sent again while its slot is being migrated ({@link TryAgainRetry}).
     *
     * @return the script's integer reply
     */
    Mono<Long> executeForLong(ReactiveStringRedisTemplate redis, List<String> keys, List<?> args) {
        byte[][] encoded = bytes(keys, args);
        int numKeys = keys.size();
        return TryAgainRetry.retried(redis.execute(connection -> connection.scriptingCommands()
                        .<Long>evalSha(sha1, ReturnType.INTEGER, numKeys, wrap(encoded))
                        .onErrorResume(e -> RedisErrors.hasCode(e, "NOSCRIPT"),
                                e -> connection.scriptingCommands().eval(source.duplicate(), ReturnType.INTEGER, numKeys,
                                        wrap(encoded))))
                .next());
    }

    /**
     * Loads the script into the server's script cache (SCRIPT LOAD) on the given connection, so that the first
     * pipelined EVALSHAs after a start find it instead of each falling back to EVAL.
     *
     * @return the script's SHA-1 as the server computed it
     */
    Mono<String> preload(OrderedScriptConnection connection) {
        return connection.load(sourceBytes);
    }

    /** @return the script's integer reply, run on a dedicated connection (dispatched in subscription order) */
    Mono<Long> executeForLong(OrderedScriptConnection connection, List<String> keys, List<?> args) {
        return connection.eval(sha1, sourceBytes, bytes(keys), bytes(args));
    }

    /** @param values strings, or {@code byte[]}s already encoded ({@link ScriptArgs}) */
    private static byte[][] bytes(List<?> values) {
        byte[][] out = new byte[values.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ScriptArgs.bytes(values.get(i));
        }
        return out;
    }

    private static byte[][] bytes(List<String> keys, List<?> args) {
        byte[][] keysAndArgs = new byte[keys.size() + args.size()][];
        int i = 0;
        for (String k : keys) {
            keysAndArgs[i++] = k.getBytes(StandardCharsets.UTF_8);
        }
        for (Object a : args) {
            keysAndArgs[i++] = ScriptArgs.bytes(a);
        }
        return keysAndArgs;
    }

    private static ByteBuffer[] wrap(byte[][] values) {
        ByteBuffer[] out = new ByteBuffer[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ByteBuffer.wrap(values[i]);
        }
        return out;
    }
}
