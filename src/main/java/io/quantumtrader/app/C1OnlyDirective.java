package io.quantumtrader.app;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Compiles the rest of a bounded run with HotSpot's C1 compiler only, from inside the JVM: adds the compiler directive
 * {@code [{ match: "*.*", c2: { Exclude: true } }]} (JEP 165; what {@code jcmd <pid> Compiler.directives_add} does),
 * so no method is compiled by C2 and each ends at C1's level 1 once its profiled C1 version is hot — the effect of
 * {@code -XX:TieredStopAtLevel=1}, which a {@code java -jar} command cannot set from the jar.
 *
 * <p>Why: the replay of 100,000 ticks is a ~10–15 s job on two cores, and C2 keeps one of them busy for most of it
 * (docs/BENCHMARKS.md, 2026-12-03). Not for {@code serve} or the benchmarks, where C2's code pays off.
 */
final class C1OnlyDirective {

    static final String DIRECTIVE = "[{ match: \"*.*\", c2: { Exclude: true } }]";

    private C1OnlyDirective() {
    }

    /**
     * Adds the directive for the rest of this JVM's life.
     *
     * @return empty when added; otherwise why not (a JVM without HotSpot's diagnostic commands, a directive refused):
     *         the run goes on with the JVM's own compilers
     */
    static Optional<String> apply() {
        try {
            Path file = Files.createTempFile("qt-c1-only-", ".json");
            try {
                Files.writeString(file, DIRECTIVE);
                Object reply = ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                        new Object[]{new String[]{file.toString()}}, new String[]{String[].class.getName()});
                String text = String.valueOf(reply).strip();
                // HotSpot answers "1 compiler directives added" (or an error text naming what it refused)
                return text.startsWith("1 compiler directives added") ? Optional.empty() : Optional.of(text);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
