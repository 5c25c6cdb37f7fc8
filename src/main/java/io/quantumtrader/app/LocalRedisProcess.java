package io.quantumtrader.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process this JVM started on a loopback port, persistence off, and stops: on {@link #close()},
 * or at the JVM's shutdown. At shutdown it waits up to {@link #holdOnShutdown(Duration)} (0 by default) for
 * {@link #close()} first: {@code serve} closes it once its runtime has handed its tasks over, which needs Redis.
 * embedded-redis' {@code RedisServer} stopped the process from a shutdown hook of its own, at the same moment as
 * Spring's, and a stopped {@code serve} printed dozens of warnings and errors while its runtime lost Redis mid-hand-over
 * ({@code ServeEmbeddedShutdownTest}, 2026-12-06); the library now only supplies its binary.
 *
 * <p>A JVM killed with SIGKILL runs no shutdown hook: the process would outlive it, holding its port and memory. So a
 * watchdog ({@code /bin/sh}) is started next to it: it blocks reading a pipe only this JVM writes to, and when the
 * JVM is gone, however it ended, the kernel closes that pipe and the watchdog sends the process SIGTERM, then SIGKILL
 * after 5 s ({@code LocalRedisLifetimeTest}: gone within seconds of a {@code replay}'s SIGKILL). {@link #close()}
 * stops the watchdog too. Without an executable {@code /bin/sh} (the container image has none) there is no watchdog;
 * the image's JVM is the container's first process there, and a container whose first process dies takes the rest
 * with it.
 */
final class LocalRedisProcess implements AutoCloseable {

    private static final String READY = "Ready to accept connections";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private static final Path SHELL = Path.of("/bin/sh");
    /**
     * Waits for end of input (this JVM gone), then stops process {@code $1}: SIGTERM, SIGKILL after 5 s. Only shell
     * built-ins and {@code sleep}.
     */
    private static final String WATCHDOG = "while read -r _; do :; done; kill -TERM \"$1\" 2>/dev/null || exit 0; "
            + "i=0; while [ $i -lt 5 ] && kill -0 \"$1\" 2>/dev/null; do sleep 1; i=$((i+1)); done; "
            + "kill -KILL \"$1\" 2>/dev/null; exit 0";

    private final Process process;
    /** The watchdog, or null without {@code /bin/sh}; its stdin is held open here until {@link #close()}. */
    private final Process watchdog;
    private final Thread shutdownHook;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Duration holdOnShutdown = Duration.ZERO;

    private LocalRedisProcess(Process process, Process watchdog) {
        this.process = process;
        this.watchdog = watchdog;
        this.shutdownHook = new Thread(this::stopAtShutdown, "redis-server-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code binary} on {@code 127.0.0.1:port} and waits until it accepts connections.
     *
     * @throws IllegalStateException when it cannot start or is not ready within 20 s (the message quotes its last lines)
     */
    static LocalRedisProcess start(Path binary, int port) {
        Process process;
        try {
            process = new ProcessBuilder(binary.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        CountDownLatch ready = new CountDownLatch(1);
        Deque<String> last = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            // reads its output to the end: a full pipe would block the server
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (ready.getCount() > 0) {
                        synchronized (last) {
                            last.addLast(line);
                            if (last.size() > 5) {
                                last.removeFirst();
                            }
                        }
                        if (line.contains(READY)) {
                            ready.countDown();
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "redis-server-output");
        reader.setDaemon(true);
        reader.start();
        LocalRedisProcess started = new LocalRedisProcess(process, watchdog(process));
        try {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!ready.await(50, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    started.close();
                    List<String> said;
                    synchronized (last) {
                        said = List.copyOf(last);
                    }
                    throw new IllegalStateException((process.isAlive() ? "not ready within " + START_TIMEOUT.toSeconds() + " s"
                            : "it exited") + (said.isEmpty() ? "" : ": " + String.join(" / ", said)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.close();
            throw new IllegalStateException("interrupted while it started", e);
        }
        return started;
    }

    /**
     * @return a started watchdog that stops {@code process} once this JVM is gone, or null when {@code /bin/sh} is
     *         missing or does not start (the process then lives on after a SIGKILL of this JVM, as before)
     */
    private static Process watchdog(Process process) {
        if (!Files.isExecutable(SHELL)) {
            return null;
        }
        try {
            return new ProcessBuilder(SHELL.toString(), "-c", WATCHDOG, "redis-server-watchdog", Long.toString(process.pid()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the watchdog process, if one runs (for tests) */
    Optional<ProcessHandle> watchdog() {
        return Optional.ofNullable(watchdog).map(Process::toHandle);
    }

    /** @return the {@code redis-server} process (for tests) */
    ProcessHandle server() {
        return process.toHandle();
    }

    /**
     * At the JVM's shutdown, waits up to {@code hold} for {@link #close()} before stopping the process: for a caller that
     * closes it itself after work that needs Redis (Spring's context close, which stops the runtime first).
     */
    void holdOnShutdown(Duration hold) {
        this.holdOnShutdown = hold;
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s) and waits for it. Idempotent. */
    @Override
    public void close() {
        stop();
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs, finds it closed
        }
    }

    private void stopAtShutdown() {
        try {
            closed.await(holdOnShutdown.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }

    private void stop() {
        try {
            stopServer();
        } finally {
            if (watchdog != null) {
                watchdog.destroyForcibly();   // closing its input instead would have it stop the server: stopped already
            }
        }
    }

    private void stopServer() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
