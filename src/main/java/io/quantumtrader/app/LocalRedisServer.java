package io.quantumtrader.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code redis-server} binary to start when no {@code REDIS_URL} is given: the one on {@code PATH} (e.g.
 * Debian's package, built with jemalloc) when there is one, otherwise the binary inside {@code org.signal:embedded-redis}
 * (a static build with libc malloc). On the project's 2-core machine Debian's build took about 3× the raw XADD rate of
 * the embedded one (983,711 against 334,857 entries/s, {@code redis-benchmark -P 64}, issue 12, docs/BENCHMARKS.md).
 * {@code REDIS_SERVER} overrides the choice: a path to a {@code redis-server} binary, or {@code embedded}.
 *
 * @param path    the binary, or {@code null} for the embedded one
 * @param version what {@code redis-server --version} says (version and allocator), e.g.
 *                {@code 7.0.15, malloc=jemalloc-5.3.0}; {@code 7.0.15, embedded} for the embedded binary
 */
public record LocalRedisServer(Path path, String version) {

    private static final Pattern VERSION = Pattern.compile("v=(\\S+).*?(malloc=\\S+)");

    /** The binary inside {@code org.signal:embedded-redis} 0.9.1. */
    public static final LocalRedisServer EMBEDDED = new LocalRedisServer(null, "7.0.15, embedded org.signal build, libc malloc");

    /**
     * @return {@code REDIS_SERVER} when set (a path, or {@code embedded}), else the first executable
     *         {@code redis-server} on {@code PATH} that answers {@code --version}, else {@link #EMBEDDED}
     * @throws CliException when {@code REDIS_SERVER} names a file that is not an executable redis-server (exit code 2)
     */
    public static LocalRedisServer choose() {
        String forced = System.getenv("REDIS_SERVER");
        if (forced != null && !forced.isBlank()) {
            if (forced.equalsIgnoreCase("embedded")) {
                return EMBEDDED;
            }
            return probe(Path.of(forced)).orElseThrow(() -> new CliException(CliException.INPUT,
                    "REDIS_SERVER=" + forced + " is not an executable redis-server",
                    "set REDIS_SERVER to the path of a redis-server binary, or to 'embedded', or unset it", null));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isBlank()) {
                    continue;
                }
                Optional<LocalRedisServer> found = probe(Path.of(dir, "redis-server"));
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        return EMBEDDED;
    }

    /** @return the binary with its version when it is executable and answers {@code --version} within 5 s */
    static Optional<LocalRedisServer> probe(Path binary) {
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = VERSION.matcher(out);
            if (p.exitValue() != 0 || !out.contains("Redis server")) {
                return Optional.empty();
            }
            return Optional.of(new LocalRedisServer(binary.toAbsolutePath(), m.find() ? m.group(1) + ", " + m.group(2) : out.strip()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** @return true for the binary inside the embedded-redis jar */
    public boolean embedded() {
        return path == null;
    }

    /** @return for reports, e.g. {@code redis-server 7.0.15, malloc=jemalloc-5.3.0 (/usr/bin/redis-server)} */
    public String describe() {
        return embedded() ? "embedded Redis " + version : "redis-server " + version + " (" + path + ")";
    }
}
