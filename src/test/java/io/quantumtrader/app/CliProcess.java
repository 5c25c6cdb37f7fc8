package io.quantumtrader.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the real CLI ({@link QuantumTraderCli#main}) in a child JVM on the application's classpath — target/classes and
 * the dependency jars, without test-classes, so production {@code logback.xml} applies — and captures exit code,
 * stdout and stderr. Every run is bounded in time; a child still running at the deadline is killed and the test fails.
 */
final class CliProcess {

    /** What a run printed and returned. */
    record Run(int exitCode, String stdout, String stderr) {
        /** @return non-blank lines of stderr */
        List<String> errLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }

        /** @return stdout and stderr */
        String all() {
            return stdout + "\n" + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static final String CLASSPATH = applicationClasspath();

    private CliProcess() {
    }

    /** A started child, for commands that keep running ({@code serve}). */
    static Process start(Path workDir, Map<String, String> env, List<String> args, Path out, Path err) {
        return start(workDir, env, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"), args, out, err);
    }

    /** A started child with these JVM options. */
    static Process start(Path workDir, Map<String, String> env, List<String> jvmOptions, List<String> args, Path out, Path err) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", CLASSPATH, QuantumTraderCli.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("REDIS_URL");
        pb.environment().remove("QT_LOG_LEVEL");
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the CLI to completion within {@code timeout}. */
    static Run run(Path workDir, Map<String, String> env, Duration timeout, String... args) {
        try {
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            Process p = start(workDir, env, Arrays.asList(args), out, err);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("quantum-trader " + String.join(" ", args) + " did not finish within " + timeout + "\n"
                        + Files.readString(out) + Files.readString(err));
            }
            Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The test JVM's classpath (expanded from surefire's manifest-only jar) without test classes. */
    private static String applicationClasspath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && Paths.get(entry).getFileName().toString().startsWith("surefire")) {
                try (JarFile jar = new JarFile(entry)) {
                    String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String url : cp == null ? new String[0] : cp.trim().split("\\s+")) {
                        entries.add(Paths.get(URI.create(url)).toString());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                entries.add(entry);
            }
        }
        return entries.stream()
                .filter(e -> !e.replace('\\', '/').replaceAll("/$", "").endsWith("test-classes"))
                .filter(e -> !e.contains("surefire") && !e.contains("junit-platform-launcher"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
