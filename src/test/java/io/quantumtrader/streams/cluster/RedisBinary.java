package io.quantumtrader.streams.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The redis-server 7.0.15 binary the project already uses (shipped in org.signal:embedded-redis, statically linked,
 * built with TLS), extracted once per JVM, so tests can start servers with any options (cluster mode, TLS) and kill
 * them by PID.
 */
public final class RedisBinary {

    private static Path binary;

    private RedisBinary() {
    }

    public static synchronized Path path() {
        if (binary != null) {
            return binary;
        }
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch").toLowerCase();
        String name = "redis-server-7.0.15-" + (os.contains("mac") ? "darwin" : "linux") + "-"
                + (arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : arch.contains("86") && !arch.contains("64") ? "386" : "amd64");
        try (InputStream in = RedisBinary.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("embedded-redis has no " + name + " on the classpath");
            }
            Path dir = Files.createTempDirectory("qt-redis-bin");
            Path out = dir.resolve(name);
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            if (!out.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + out + " executable");
            }
            out.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            binary = out;
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
