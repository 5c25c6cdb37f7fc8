package io.quantumtrader.app;

import com.sun.management.VMOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay's child JVM with {@code -XX:TieredStopAtLevel=1} ({@link C1OnlyJvm}): when one is started and with what
 * command line, and — with real processes — that a replay started without the flag runs in such a child, exits with
 * its code, and that the child does not outlive its parent, whether the parent is stopped with SIGTERM or SIGKILL.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class C1OnlyJvmTest {

    private static final long GIB = 1L << 30;
    private static final VMOption LEVEL_DEFAULT = new VMOption("TieredStopAtLevel", "4", true, VMOption.Origin.DEFAULT);
    private static final VMOption TIERED_DEFAULT = new VMOption("TieredCompilation", "true", true, VMOption.Origin.DEFAULT);
    private static final Pattern CHILD = Pattern.compile(
            "jit compilers: C1 only \\(-XX:TieredStopAtLevel=1, in a JVM started for the replay: pid (\\d+), -XX:\\+UseParallelGC[^)]*\\)");

    @RegisterExtension
    static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();

    @TempDir
    Path dir;

    private static C1OnlyJvm.Jvm jvm(String[] args, Map<String, String> env, String classPath, String javaCommand,
                                     List<String> options, VMOption level, VMOption tiered) {
        return new C1OnlyJvm.Jvm(args, env, "/opt/jdk", classPath, javaCommand, options, Optional.ofNullable(level),
                Optional.ofNullable(tiered), GIB, false);
    }

    private static C1OnlyJvm.Plan planFor(List<String> options, boolean hugePagesOnRequest) {
        return planFor(options, GIB, hugePagesOnRequest);
    }

    private static C1OnlyJvm.Plan planFor(List<String> options, long maxHeapBytes, boolean hugePagesOnRequest) {
        return C1OnlyJvm.plan(new C1OnlyJvm.Jvm(new String[]{"replay"}, Map.of(), "/opt/jdk", "app.jar", "app.jar replay",
                options, Optional.of(LEVEL_DEFAULT), Optional.of(TIERED_DEFAULT), maxHeapBytes, hugePagesOnRequest));
    }

    @Test
    void theChildGetsAFixedYoungGenerationUnlessTheHeapWasSizedAndHugePagesWhenTheKernelGivesThemOnRequest() {
        String java = Path.of("/opt/jdk", "bin", "java").toString();
        assertThat(planFor(List.of(), true).command()).containsExactly(java, "-XX:TieredStopAtLevel=1",
                "-XX:+UseParallelGC", "-Xmn256m", "-XX:MaxTenuringThreshold=1", "-XX:+UseTransparentHugePages",
                "-XX:MetaspaceSize=64m", "-jar", "app.jar", "replay");
        assertThat(planFor(List.of("-Dx=y"), false).command()).containsExactly(java, "-Dx=y", "-XX:TieredStopAtLevel=1",
                "-XX:+UseParallelGC", "-Xmn256m", "-XX:MaxTenuringThreshold=1", "-XX:MetaspaceSize=64m", "-jar",
                "app.jar", "replay");
        // the user set the metaspace: their choice stands
        for (String metaspace : List.of("-XX:MetaspaceSize=128m", "-XX:MaxMetaspaceSize=256m")) {
            assertThat(planFor(List.of(metaspace), false).command()).as(metaspace).doesNotContain("-XX:MetaspaceSize=64m")
                    .contains("-Xmn256m");
        }
        // the user sized the heap or chose the pages: their choice stands
        for (String sized : List.of("-Xmx512m", "-Xms2g", "-Xmn64m", "-XX:MaxHeapSize=1g", "-XX:NewRatio=3",
                "-XX:MaxRAMPercentage=50", "-XX:MaxNewSize=64m")) {
            assertThat(planFor(List.of(sized), false).command()).as(sized)
                    .doesNotContain("-Xmn256m", "-XX:MaxTenuringThreshold=1");
        }
        // a small machine's default heap: the old generation would be left too little
        assertThat(planFor(List.of(), 512L << 20, false).command())
                .doesNotContain("-Xmn256m", "-XX:MaxTenuringThreshold=1");
        assertThat(planFor(List.of(), 1024L << 20, false).command()).contains("-Xmn256m", "-XX:MaxTenuringThreshold=1");
        // the user set a tenuring threshold: theirs stands, the young generation is still fixed
        for (String tenuring : List.of("-XX:MaxTenuringThreshold=15", "-XX:InitialTenuringThreshold=3")) {
            assertThat(planFor(List.of(tenuring), false).command()).as(tenuring)
                    .doesNotContain("-XX:MaxTenuringThreshold=1").contains("-Xmn256m");
        }
        for (String pages : List.of("-XX:-UseTransparentHugePages", "-XX:+UseLargePages")) {
            assertThat(planFor(List.of(pages), true).command()).as(pages)
                    .doesNotContain("-XX:+UseTransparentHugePages").contains("-Xmn256m");
        }
        // what the child says it runs with: the options this class adds, found among its own
        assertThat(C1OnlyJvm.added(List.of("-Xmx1g", "-XX:MetaspaceSize=64m", "-XX:+UseTransparentHugePages", "-XX:+UseParallelGC",
                "-XX:MaxTenuringThreshold=1", "-XX:TieredStopAtLevel=1"))).containsExactly("-XX:+UseParallelGC",
                "-XX:MaxTenuringThreshold=1", "-XX:+UseTransparentHugePages", "-XX:MetaspaceSize=64m");
    }

    @Test
    void hugePagesAreOnRequestOnlyWhenTheKernelSaysMadvise() throws Exception {
        Path mode = dir.resolve("enabled");
        Files.writeString(mode, "always madvise [never]\n");
        assertThat(C1OnlyJvm.Jvm.hugePagesOnRequest(mode)).isFalse();
        Files.writeString(mode, "[always] madvise never\n");
        assertThat(C1OnlyJvm.Jvm.hugePagesOnRequest(mode)).as("every heap has them already").isFalse();
        Files.writeString(mode, "always [madvise] never\n");
        assertThat(C1OnlyJvm.Jvm.hugePagesOnRequest(mode)).isTrue();
        assertThat(C1OnlyJvm.Jvm.hugePagesOnRequest(dir.resolve("missing"))).as("no such file: not Linux, or no THP").isFalse();
    }

    @Test
    void aReplayStartedWithJavaJarContinuesInAChildWithTheFlagsAndTheSameOptionsAndArguments() {
        C1OnlyJvm.Plan plan = C1OnlyJvm.plan(jvm(new String[]{"replay", "--speed", "60"}, Map.of(), "target/app.jar",
                "target/app.jar replay --speed 60", List.of("-Xmx1g", "-Dx=y"), LEVEL_DEFAULT, TIERED_DEFAULT));

        assertThat(plan.relaunch()).isTrue();
        assertThat(plan.command()).containsExactly(Path.of("/opt/jdk", "bin", "java").toString(), "-Xmx1g", "-Dx=y",
                "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC", "-XX:MetaspaceSize=64m", "-jar", "target/app.jar", "replay",
                "--speed", "60");
    }

    @Test
    void aReplayStartedWithAClassPathContinuesInAChildWithTheSameClassPathAndTheCliMainClassAndKeepsAChosenCollector() {
        C1OnlyJvm.Plan plan = C1OnlyJvm.plan(jvm(new String[]{"replay"}, Map.of(), "a.jar:classes",
                QuantumTraderCli.class.getName() + " replay", List.of("-XX:+UseSerialGC"), LEVEL_DEFAULT, TIERED_DEFAULT));

        // a collector chosen on the command line is kept
        assertThat(plan.command()).containsExactly(Path.of("/opt/jdk", "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xmn256m", "-XX:MaxTenuringThreshold=1", "-XX:MetaspaceSize=64m", "-cp", "a.jar:classes",
                QuantumTraderCli.class.getName(), "replay");
    }

    @Test
    void theChildIsStartedBeforeTheCommandLineIsParsedOnlyForAReplayWithC1() {
        for (String line : List.of("replay", "--verbose replay", "replay --speed 60 --file a.csv", "replay --jit c1",
                "replay --jit=c1", "replay --no-such-option")) {
            assertThat(C1OnlyJvm.startsAC1Replay(line.split(" "))).as(line).isTrue();
        }
        for (String line : List.of("", "bench", "bench replay", "topology --format replay", "--verbose", "replay --jit tiered",
                "replay --jit=tiered", "replay --help", "replay -h", "--help replay", "-V", "replay --version")) {
            assertThat(C1OnlyJvm.startsAC1Replay(line.isEmpty() ? new String[0] : line.split(" "))).as(line).isFalse();
        }
        // not a replay: nothing happens before parsing (no JVM looked at, no child)
        assertThat(C1OnlyJvm.relaunchBeforeParsing(new String[]{"bench", "--records", "10"})).isEmpty();
    }

    @Test
    void noChildWhenTheCompilersWereChosenWhenItIsAChildWhenNotFromMainWhenInstrumentedOrLoggedOrNotHotSpot() {
        String[] args = {"replay"};
        VMOption levelSet = new VMOption("TieredStopAtLevel", "4", true, VMOption.Origin.VM_CREATION);
        VMOption tieredOff = new VMOption("TieredCompilation", "false", true, VMOption.Origin.VM_CREATION);
        Map<C1OnlyJvm.Jvm, String> cases = Map.of(
                jvm(args, Map.of(), "app.jar", "app.jar replay", List.of(), levelSet, TIERED_DEFAULT),
                "the JIT compilers were chosen on the command line",
                jvm(args, Map.of(), "app.jar", "app.jar replay", List.of(), LEVEL_DEFAULT, tieredOff),
                "the JIT compilers were chosen on the command line",
                jvm(args, Map.of(C1OnlyJvm.PARENT_PID_ENV, "42"), "app.jar", "app.jar replay", List.of(), LEVEL_DEFAULT, TIERED_DEFAULT),
                "this JVM was started for the replay",
                jvm(null, Map.of(), "app.jar", "app.jar replay", List.of(), LEVEL_DEFAULT, TIERED_DEFAULT),
                "not started from the command line",
                jvm(args, Map.of(), "app.jar", "app.jar replay", List.of("-XX:StartFlightRecording=filename=r.jfr"), LEVEL_DEFAULT, TIERED_DEFAULT),
                "the JVM runs with -XX:StartFlightRecording…",
                jvm(args, Map.of(), "app.jar", "app.jar replay", List.of("-agentlib:jdwp=transport=dt_socket"), LEVEL_DEFAULT, TIERED_DEFAULT),
                "the JVM runs with -agentlib…",
                jvm(args, Map.of(), "app.jar", "app.jar replay", List.of("-Xlog:gc:file=gc.log"), LEVEL_DEFAULT, TIERED_DEFAULT),
                "the JVM runs with -Xlog…",
                jvm(args, Map.of(), "app.jar", "app.jar replay", List.of(), null, null),
                "not a HotSpot JVM");
        cases.forEach((jvm, reason) -> {
            C1OnlyJvm.Plan plan = C1OnlyJvm.plan(jvm);
            assertThat(plan.relaunch()).as(reason).isFalse();
            assertThat(plan.reason()).isEqualTo(reason);
        });
    }

    @Test
    void aReplayWithoutTheFlagRunsInAChildWithItAndExitsWithTheChildsCode() throws Exception {
        Path work = workDir("whole");
        Path out = work.resolve("out.txt");
        Process parent = CliProcess.start(work, Map.of("REDIS_URL", redis.url()), List.of("-Xmx256m"),
                List.of("replay", "--file", trades().toString(), "--namespace", "whole"), out, work.resolve("err.txt"));
        assertThat(parent.waitFor(3, TimeUnit.MINUTES)).as("the replay ends within 3 minutes").isTrue();
        String stdout = Files.readString(out);

        assertThat(parent.exitValue()).as(stdout + Files.readString(work.resolve("err.txt"))).isZero();
        Matcher m = CHILD.matcher(stdout);
        assertThat(m.find()).as(stdout).isTrue();
        assertThat(Long.parseLong(m.group(1))).isNotEqualTo(parent.pid());
        assertThat(stdout).contains("drained              yes");

        // a failing child's exit code comes through: a missing input file is bad input (2)
        Process bad = CliProcess.start(work, Map.of("REDIS_URL", redis.url()), List.of("-Xmx256m"),
                List.of("replay", "--file", work.resolve("missing.csv").toString()), work.resolve("out2.txt"), work.resolve("err2.txt"));
        assertThat(bad.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(bad.exitValue()).as(Files.readString(work.resolve("err2.txt"))).isEqualTo(CliException.INPUT);

        // the child is started before the command line is parsed: a usage error is the child's, reported once, code 2
        Process usage = CliProcess.start(work, Map.of("REDIS_URL", redis.url()), List.of("-Xmx256m"),
                List.of("replay", "--no-such-option"), work.resolve("out3.txt"), work.resolve("err3.txt"));
        assertThat(usage.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String usageErr = Files.readString(work.resolve("err3.txt"));
        assertThat(usage.exitValue()).as(usageErr).isEqualTo(CliException.INPUT);
        assertThat(usageErr.split("Unknown option: '--no-such-option'", -1)).as(usageErr).hasSize(2);
    }

    @Test
    void theChildStopsWithItsParentOnSigtermAndOnSigkill() throws Exception {
        for (boolean forcibly : new boolean[]{false, true}) {
            Path work = workDir(forcibly ? "sigkill" : "sigterm");
            Path out = work.resolve("out.txt");
            Process parent = CliProcess.start(work, Map.of("REDIS_URL", redis.url()), List.of("-Xmx256m"),
                    List.of("replay", "--file", trades().toString(), "--namespace", work.getFileName().toString(), "--speed", "60"),
                    out, work.resolve("err.txt"));
            long child = childPid(parent, out);
            ProcessHandle handle = ProcessHandle.of(child).orElseThrow();
            try {
                assertThat(handle.isAlive()).isTrue();

                if (forcibly) {
                    parent.destroyForcibly();
                } else {
                    parent.destroy();
                }
                assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();
                if (!forcibly) {
                    // the parent's shutdown hook stopped the child and waited for it: gone before the parent is
                    assertThat(handle.onExit().isDone() || !handle.isAlive()).as("child gone when its parent exits").isTrue();
                }
                boolean gone = handle.onExit().thenApply(h -> true).completeOnTimeout(false, 30, TimeUnit.SECONDS).get();
                assertThat(gone).as("the child (pid %d) exits within 30 s of its parent's %s", child,
                        forcibly ? "SIGKILL" : "SIGTERM").isTrue();
                if (forcibly) {
                    assertThat(Files.readString(work.resolve("err.txt")))
                            .contains("the JVM that started this replay (pid " + parent.pid() + ") is gone: stopping");
                }
            } finally {
                parent.destroyForcibly();
                if (handle.isAlive()) {
                    handle.destroyForcibly();   // started by this test (through its parent): never left running
                }
            }
        }
    }

    /** @return the child's pid, once the parent's output names it (within 60 s) */
    private static long childPid(Process parent, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = CHILD.matcher(Files.readString(out));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            assertThat(parent.isAlive()).as("the replay runs: %s", Files.readString(out)).isTrue();
            Thread.sleep(100);
        }
        parent.destroyForcibly();
        throw new AssertionError("no child JVM named within 60 s: " + Files.readString(out));
    }

    private Path workDir(String name) throws Exception {
        return ReplayFixture.workDir(dir, name);
    }

    /** The first 2,000 trades of the bundled Bitstamp file. */
    private Path trades() throws Exception {
        return ReplayFixture.trades(dir, 2_000);
    }
}
