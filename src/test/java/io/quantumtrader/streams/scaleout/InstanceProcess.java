package io.quantumtrader.streams.scaleout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScaleOutInstance} (or another instance's main, {@link #start(Class, String, String, List)}) running as a child
 * JVM of the test, with its output in
 * {@code target/scaleout-logs/<instance>.log}. Only this process is ever signalled (by its PID).
 */
public final class InstanceProcess implements AutoCloseable {

    private final String instanceId;
    private final Process process;
    private final Path log;

    private InstanceProcess(String instanceId, Process process, Path log) {
        this.instanceId = instanceId;
        this.process = process;
        this.log = log;
    }

    /** Starts an instance and waits (at most 30 s) until its runtime started. */
    public static InstanceProcess start(int redisPort, String namespace, String instanceId, Duration leaseTtl, int batchSize,
                                        String work) throws IOException {
        return start(redisPort, namespace, instanceId, leaseTtl, batchSize, work, ScaleOutTopology.PARTITIONS);
    }

    /** As {@link #start(int, String, String, Duration, int, String)}, on a topology with {@code partitions} partitions. */
    public static InstanceProcess start(int redisPort, String namespace, String instanceId, Duration leaseTtl, int batchSize,
                                        String work, int partitions) throws IOException {
        return start(ScaleOutInstance.class, namespace, instanceId, List.of(Integer.toString(redisPort), namespace, instanceId,
                Long.toString(leaseTtl.toMillis()), Integer.toString(batchSize), work, Integer.toString(partitions)));
    }

    /**
     * Starts {@code main} (a class of the test classpath that prints {@code STARTED <instance id>} once its runtime
     * started, then {@link ScaleOutInstance#status} lines) as a child JVM, and waits (at most 30 s) until it started.
     *
     * @param args its arguments
     */
    public static InstanceProcess start(Class<?> main, String namespace, String instanceId, List<String> args) throws IOException {
        Path dir = Path.of("target", "scaleout-logs");
        Files.createDirectories(dir);
        Path log = dir.resolve(namespace + "-" + instanceId + ".log");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", System.getProperty("scaleout.child.jit", "-XX:TieredStopAtLevel=1"), "-cp", classpath,
                main.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QT_LOG_LEVEL", System.getenv().getOrDefault("SCALEOUT_LOG_LEVEL", "INFO"));
        InstanceProcess p = new InstanceProcess(instanceId, pb.start(), log);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!p.output().contains("STARTED " + instanceId)) {
            if (!p.process.isAlive() || System.nanoTime() > deadline) {
                String out = p.output();
                p.kill9();
                throw new IllegalStateException("instance " + instanceId + " did not start; its output:\n"
                        + out.substring(Math.max(0, out.length() - 3000)));
            }
            sleep(50);
        }
        return p;
    }

    public String instanceId() {
        return instanceId;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** kill -9: the process dies at once, committing and releasing nothing. */
    public void kill9() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM: graceful close (hand-over); waits until it exited. @return true when it exited in time */
    public boolean terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    /** SIGSTOP: the process freezes (a long GC pause, a stalled VM): a zombie in the making. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: the frozen process goes on as if nothing happened. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return everything the process printed so far */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the fields of its last status line ({@code in}, {@code state}, {@code tasks}, {@code revoked}, {@code members}) */
    public Map<String, String> status() {
        String out = output();
        int i = out.lastIndexOf("STATUS ");
        Map<String, String> fields = new TreeMap<>();
        if (i < 0) {
            return fields;
        }
        int end = out.indexOf('\n', i);
        if (end < 0) {
            return fields; // being written
        }
        for (String part : out.substring(i + 7, end).split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return fields;
    }

    /** @return records processed in committed batches, by its last status line */
    public long recordsIn() {
        return Long.parseLong(status().getOrDefault("in", "0"));
    }

    /** @return the log file */
    public File logFile() {
        return log.toFile();
    }

    /** Kills the process if still running (test cleanup). */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
