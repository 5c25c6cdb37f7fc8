package io.quantumtrader.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the replay in a child JVM started with {@code -XX:TieredStopAtLevel=1}, the JVM's own "C1 only" mode, when the
 * command line could not set it ({@code java -jar … replay}). The compiler directive of {@link C1OnlyDirective} is what
 * a running JVM can do by itself, but under it every hot method first runs as C1 code with full profiling and is then
 * compiled a second time; the flag compiles each once, without profiling. Measured on this project's 2-core machine
 * (docs/BENCHMARKS.md, 2026-12-04 08:37 section): the replay of 100,000 ticks took 5.2–5.7 s with the flag against
 * 6.7 s with the directive, with 14 % less CPU, for ~0.4 s and ~0.7 s of CPU to start the second JVM. The child also
 * runs the throughput collector ({@value #THROUGHPUT_GC}) unless the command line chose a collector: 4.3–4.5 s against
 * 4.6–4.8 s with G1 in five alternating pairs, with 5 % less CPU (same section).
 *
 * <p>Unless the command line sized the heap (or the machine's default heap is below 1 GB), the child's young
 * generation is fixed at {@value #YOUNG_GEN}: the collector's adaptive sizing grew it to ~750 MB, so that the JVM kept
 * touching, and each collection copied into, pages never touched before. With it, objects are promoted after one
 * young collection ({@value #TENURING}, unless the command line set a tenuring threshold). The collector otherwise
 * starts at a threshold of 7 and lowers it one step per collection: its first collections copied the replay's input
 * (100,000 trades) and what start-up built between the survivor spaces again and again (34–61 ms each, against
 * 15–37 ms), and it grew the survivor spaces out of eden (22 collections instead of 18). Together the two options took
 * the replay's young-collection pauses from ~720 ms ({@code -Xmn128m}, the default threshold) to ~310–400 ms and its
 * median time from 4.38 to 4.03 s in 13 alternating rounds; either alone gained less, within the spread
 * (docs/BENCHMARKS.md, 2026-12-05 03:23 section). When the kernel gives
 * transparent huge pages on request ({@code madvise} in {@value #THP_MODE}), the heap is backed by them
 * ({@value #HUGE_PAGES}). Page faults were 12 % of a replay's CPU samples in async-profiler; the two options (then with
 * {@code -Xmn128m}) took the minor page faults of
 * {@code java -jar … replay} from ~300,000 to 65,000–73,000, its system CPU time from ~3.1 to ~2.0 s and its median
 * time in five pairs from 7.4 to 6.5 s on a slow machine (docs/BENCHMARKS.md, 2026-12-04 14:53 section).
 *
 * <p>The child gets the parent's JVM options and command-line arguments, the terminal ({@code inheritIO}), and the
 * environment plus {@value #PARENT_PID_ENV}; the parent exits with the child's exit code. It stops with its parent:
 * a parent stopped by a signal (Ctrl-C, {@code kill}) stops the child first and waits for it to close its resources,
 * and a child whose parent is gone ({@code kill -9}) exits by itself ({@link #stopWithParent}).
 *
 * <p>No child is started — the replay compiles under the directive in its own JVM, as before — when the JVM was not
 * started through {@link QuantumTraderCli#main} (tests, an embedding application), when {@code TieredStopAtLevel} or
 * {@code TieredCompilation} was set on its command line (the user chose), when it runs an agent, a flight recording or
 * JVM logging ({@code -Xlog}, {@code -verbose}: it instruments this JVM, and a second one would write the same files,
 * bind the same ports or interleave its logs), or when this JVM is such a child already.
 */
final class C1OnlyJvm {

    /** Set in the child's environment: the parent JVM's process id. */
    static final String PARENT_PID_ENV = "QT_REPLAY_PARENT_PID";
    /**
     * JVM options that instrument or log the JVM they are given to: a child is not started when the parent has one (two
     * JVMs would write the same files, bind the same ports, or interleave their logs).
     */
    private static final List<String> INSTRUMENTING = List.of("-agentlib:", "-agentpath:", "-javaagent:", "-Xrunjdwp",
            "-Xdebug", "-XX:StartFlightRecording", "-XX:FlightRecorderOptions", "-Xlog", "-verbose", "-XX:+Print",
            "-XX:+LogCompilation", "-XX:+LogVMOutput");

    /** The collector the child runs with unless the command line chose one: the replay is a throughput job. */
    static final String THROUGHPUT_GC = "-XX:+UseParallelGC";
    private static final Pattern GC_CHOSEN = Pattern.compile("-XX:\\+Use\\w*GC");
    /** The child's young generation, unless the command line sized the heap. */
    static final String YOUNG_GEN = "-Xmn256m";
    /** The smallest largest heap (bytes) with which a child gets {@link #YOUNG_GEN}: four times the young generation. */
    static final long MIN_HEAP_FOR_YOUNG_GEN = 1024L * 1024 * 1024;
    /** Promotion after one young collection, given with {@link #YOUNG_GEN} unless the command line set a threshold. */
    static final String TENURING = "-XX:MaxTenuringThreshold=1";
    private static final Pattern TENURING_CHOSEN = Pattern.compile("-XX:(Max|Initial)TenuringThreshold=.*");
    /** Options that size the heap or its generations: with one of them the user chose, and no {@link #YOUNG_GEN}. */
    private static final Pattern HEAP_SIZED = Pattern.compile(
            "-Xm[nsx].*|-XX:\\w*(HeapSize|NewSize|NewRatio|RAMPercentage|RAMFraction|RAM)=.*");
    /** Heap on transparent huge pages, when the kernel gives them on request ({@code madvise} mode). */
    static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";
    private static final Pattern PAGES_CHOSEN = Pattern.compile(
            "-XX:[+-]Use(TransparentHuge|Large)Pages.*");
    /**
     * The metaspace size at which the child's first full collection runs, unless the command line set one: with the
     * default (21 MB) a replay's JVM ran two full collections ("Metadata GC Threshold", 42–52 ms each, at 1.4 s and
     * 2.3 s, the second inside the timed run) while it loaded its ~43 MB of class metadata (GC log, docs/BENCHMARKS.md
     * 2026-12-05 01:31 section); with 64 MB it runs none.
     */
    static final String METASPACE = "-XX:MetaspaceSize=64m";
    private static final Pattern METASPACE_CHOSEN = Pattern.compile("-XX:(Max)?MetaspaceSize=.*");
    /** Where Linux says in which mode transparent huge pages are: {@code always [madvise] never} when on request. */
    static final String THP_MODE = "/sys/kernel/mm/transparent_hugepage/enabled";

    /** The command line as {@link QuantumTraderCli#main} got it; {@code null} when the CLI runs inside another program. */
    private static volatile String[] launchArgs;

    private C1OnlyJvm() {
    }

    /** Records the command line of this process, so that a child JVM can be given the same (called by {@code main}). */
    static void launchedWith(String[] args) {
        launchArgs = args.clone();
    }

    /**
     * Called by {@code main} before the command line is parsed: when {@code args} start a replay that will run with C1
     * only ({@code --jit c1}, the default) and this JVM would start a child for it ({@link #plan}), starts the child now
     * and waits for it. The child parses the command line and reports its errors itself. Starting it here, before
     * picocli builds the command tree and the replay's classes are loaded and verified, saved ~1 s of
     * {@code java -jar … replay} on a 2-core machine (the child was started 1.4–2.1 s after the parent, docs/BENCHMARKS.md,
     * 2026-12-04 16:47 section). Otherwise (another command, {@code --jit tiered}, help, no child to start, or a child
     * that could not be started) nothing happens here, and {@code ReplayCommand} decides again and says why.
     *
     * @param args the command line given to {@code main}
     * @return the child's exit code when a child ran, else empty
     */
    static OptionalInt relaunchBeforeParsing(String[] args) {
        if (!startsAC1Replay(args)) {
            return OptionalInt.empty();
        }
        Plan plan;
        try {
            plan = plan(Jvm.current());
        } catch (RuntimeException e) {
            // the replay decides again once the command line is parsed, and reports what fails there as the CLI does
            return OptionalInt.empty();
        }
        if (!plan.relaunch()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(run(plan));
        } catch (IOException e) {
            // not started, nothing ran: the replay tries again once the command line is parsed, and says why it fails
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(CliException.FAILED);
        }
    }

    /**
     * @param args a command line: global options ({@code --verbose}), the command, its options
     * @return true when it runs {@code replay} with C1 only: the first argument that is not an option is {@code replay},
     *         and neither {@code --jit tiered} nor a help or version request follows
     */
    static boolean startsAC1Replay(String[] args) {
        int command = 0;
        while (command < args.length && args[command].startsWith("-")) {
            command++;
        }
        if (command == args.length || !args[command].equals("replay")) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version") || a.equals("--jit=tiered")
                    || (a.equals("--jit") && i + 1 < args.length && args[i + 1].equals("tiered"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What this JVM is, as far as the decision goes.
     *
     * @param launchArgs        the command line given to {@code main}; {@code null} when not started through it
     * @param env               the environment
     * @param javaHome          {@code java.home}
     * @param classPath         {@code java.class.path}
     * @param javaCommand       {@code sun.java.command}: the main class or jar, then the arguments
     * @param jvmOptions        the JVM's input arguments ({@code RuntimeMXBean#getInputArguments})
     * @param tieredStopAtLevel the VM option, empty when this is not a HotSpot JVM
     * @param tieredCompilation the VM option, empty when this is not a HotSpot JVM
     * @param maxHeapBytes      this JVM's largest heap ({@link Runtime#maxMemory()}), which a child started with the same
     *                          options on the same machine gets too: {@value #YOUNG_GEN} only when it is at least
     *                          {@link #MIN_HEAP_FOR_YOUNG_GEN} bytes, so that the old generation keeps three quarters
     * @param hugePagesOnRequest true when the kernel backs memory with transparent huge pages where a process asks
     *                          ({@code [madvise]} in {@value #THP_MODE}): only then does {@value #HUGE_PAGES} change
     *                          anything (with {@code [always]} every heap has them already)
     */
    record Jvm(String[] launchArgs, Map<String, String> env, String javaHome, String classPath, String javaCommand,
               List<String> jvmOptions, Optional<VMOption> tieredStopAtLevel, Optional<VMOption> tieredCompilation,
               long maxHeapBytes, boolean hugePagesOnRequest) {

        /** @return this JVM */
        static Jvm current() {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return new Jvm(C1OnlyJvm.launchArgs, System.getenv(), System.getProperty("java.home"),
                    System.getProperty("java.class.path", ""), System.getProperty("sun.java.command", ""),
                    ManagementFactory.getRuntimeMXBean().getInputArguments(), option(hotSpot, "TieredStopAtLevel"),
                    option(hotSpot, "TieredCompilation"), Runtime.getRuntime().maxMemory(),
                    hugePagesOnRequest(Path.of(THP_MODE)));
        }

        /** @return true when the file says {@code [madvise]}; false when it says otherwise or cannot be read */
        static boolean hugePagesOnRequest(Path mode) {
            try {
                return Files.readString(mode).contains("[madvise]");
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        private static Optional<VMOption> option(HotSpotDiagnosticMXBean hotSpot, String name) {
            try {
                return hotSpot == null ? Optional.empty() : Optional.of(hotSpot.getVMOption(name));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        /** @return true when this JVM compiles with C1 only because its command line says so */
        boolean c1OnlyByFlag() {
            return tieredStopAtLevel.filter(o -> o.getOrigin() != VMOption.Origin.DEFAULT)
                    .filter(o -> o.getValue().equals("1")).isPresent();
        }

        /** @return the launching JVM's process id when this JVM is a replay's child, else empty */
        Optional<Long> parentPid() {
            String pid = env.get(PARENT_PID_ENV);
            try {
                return pid == null ? Optional.empty() : Optional.of(Long.parseLong(pid.strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * A decision: the child's command line, or why the replay stays in this JVM.
     *
     * @param command the child JVM's command line; {@code null} when no child is started
     * @param reason  why no child is started; {@code null} when one is
     */
    record Plan(List<String> command, String reason) {
        boolean relaunch() {
            return command != null;
        }
    }

    /**
     * The options this class adds to a child's command line, as they appear in the child's own JVM options.
     *
     * @param jvmOptions a JVM's input arguments
     * @return those of {@value #THROUGHPUT_GC}, {@value #YOUNG_GEN}, {@value #TENURING}, {@value #HUGE_PAGES} and
     *         {@value #METASPACE} among them, in that order
     */
    static List<String> added(List<String> jvmOptions) {
        return Stream.of(THROUGHPUT_GC, YOUNG_GEN, TENURING, HUGE_PAGES, METASPACE).filter(jvmOptions::contains).toList();
    }

    /** @return whether and how to run the replay in a child JVM with {@code -XX:TieredStopAtLevel=1} */
    static Plan plan(Jvm jvm) {
        if (jvm.parentPid().isPresent()) {
            return new Plan(null, "this JVM was started for the replay");
        }
        if (jvm.launchArgs() == null) {
            return new Plan(null, "not started from the command line");
        }
        if (jvm.tieredStopAtLevel().isEmpty() || jvm.tieredCompilation().isEmpty()) {
            return new Plan(null, "not a HotSpot JVM");
        }
        if (jvm.tieredStopAtLevel().get().getOrigin() != VMOption.Origin.DEFAULT
                || jvm.tieredCompilation().get().getOrigin() != VMOption.Origin.DEFAULT) {
            return new Plan(null, "the JIT compilers were chosen on the command line");
        }
        for (String option : jvm.jvmOptions()) {
            for (String instrumenting : INSTRUMENTING) {
                if (option.startsWith(instrumenting)) {
                    return new Plan(null, "the JVM runs with " + instrumenting.replaceAll("[:=]$", "") + "…");
                }
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(jvm.javaHome(), "bin", "java").toString());
        command.addAll(jvm.jvmOptions());
        command.add("-XX:TieredStopAtLevel=1");
        if (!chose(jvm, GC_CHOSEN)) {
            command.add(THROUGHPUT_GC);
        }
        if (jvm.maxHeapBytes() >= MIN_HEAP_FOR_YOUNG_GEN && !chose(jvm, HEAP_SIZED)) {
            command.add(YOUNG_GEN);
            if (!chose(jvm, TENURING_CHOSEN)) {
                command.add(TENURING);
            }
        }
        if (jvm.hugePagesOnRequest() && !chose(jvm, PAGES_CHOSEN)) {
            command.add(HUGE_PAGES);
        }
        if (!chose(jvm, METASPACE_CHOSEN)) {
            command.add(METASPACE);
        }
        String cp = jvm.classPath();
        boolean jar = !cp.isEmpty() && !cp.contains(File.pathSeparator) && cp.endsWith(".jar") && jvm.javaCommand().startsWith(cp);
        if (jar) {
            command.add("-jar");
            command.add(cp);
        } else {
            command.add("-cp");
            command.add(cp);
            command.add(QuantumTraderCli.class.getName());
        }
        command.addAll(List.of(jvm.launchArgs()));
        return new Plan(command, null);
    }

    /** @return true when one of the JVM's command-line options matches {@code option}: the user chose, the child keeps it */
    private static boolean chose(Jvm jvm, Pattern option) {
        return jvm.jvmOptions().stream().anyMatch(o -> option.matcher(o).matches());
    }

    /**
     * Runs the child to its end, with this terminal.
     *
     * @return the child's exit code
     * @throws IOException when the child cannot be started (then nothing ran: the caller replays in this JVM)
     */
    static int run(Plan plan) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(plan.command()).inheritIO();
        builder.environment().put(PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
        Process child = builder.start();
        // a signal to this JVM (Ctrl-C reaches both; kill <pid> only this one): stop the child, let it close Redis
        Thread stopChild = new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    if (!child.waitFor(60, TimeUnit.SECONDS)) {
                        child.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    child.destroyForcibly();
                }
            }
        }, "replay-child-stop");
        Runtime.getRuntime().addShutdownHook(stopChild);
        int code = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run
        }
        return code;
    }

    /**
     * In a child: exits (running the shutdown hooks, which stop what the replay started) as soon as the launching JVM
     * is gone, so that a {@code kill -9} of the command the user started does not leave its replay running.
     *
     * @param parentPid the launching JVM's process id
     * @param err       where to say why the replay stops
     */
    static void stopWithParent(long parentPid, PrintStream err) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        Runnable stop = () -> {
            err.printf("the JVM that started this replay (pid %d) is gone: stopping%n", parentPid);
            System.exit(CliException.FAILED);
        };
        if (parent.isPresent() && parent.get().isAlive()) {
            parent.get().onExit().thenRun(stop);
        } else {
            stop.run();
        }
    }
}
