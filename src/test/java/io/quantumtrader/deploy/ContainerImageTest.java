package io.quantumtrader.deploy;

import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OCI tarball Jib writes ({@code mvn -B -Pimage -DskipTests package} → {@code target/jib-image.tar}; .ci/run builds
 * it before {@code mvn -B test}): blobs match their digests, the config runs {@code serve} as a non-root user with the
 * container-aware JVM flags, the layers hold the application and a runtime whose executables are executable, and the
 * image really starts: its layers are unpacked into a root file system and the entrypoint runs there ({@code chroot}
 * as user 10001, in a private mount namespace with /proc and /dev, as a container runtime would) against a Redis this
 * test starts, until {@code /actuator/health/readiness} answers UP. Skipped when no tarball has been built.
 */
class ContainerImageTest {

    static final Path TARBALL = Path.of("target", "jib-image.tar");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;
    static Path layout;
    static JsonNode index;
    static JsonNode manifest;
    static JsonNode config;

    @BeforeAll
    static void unpack() throws Exception {
        Assumptions.assumeTrue(Files.exists(TARBALL), "no " + TARBALL + ": build it with mvn -B -Pimage -DskipTests package");
        layout = work.resolve("layout");
        Files.createDirectories(layout);
        run(List.of("tar", "-xf", TARBALL.toAbsolutePath().toString(), "-C", layout.toString()), Duration.ofMinutes(1));
        index = JSON.readTree(layout.resolve("index.json").toFile());
        manifest = JSON.readTree(blob(index.path("manifests").get(0).path("digest").asString()).toFile());
        config = JSON.readTree(blob(manifest.path("config").path("digest").asString()).toFile());
    }

    @Test
    void isAnOciImageNamedAfterThePomWithEveryBlobMatchingItsDigest() throws Exception {
        assertThat(Files.readString(layout.resolve("oci-layout"))).contains("imageLayoutVersion");
        assertThat(index.path("manifests").get(0).path("annotations").path("org.opencontainers.image.ref.name").asString())
                .isEqualTo("quantum-trader-streams:" + PomProperties.get("image.tag"));
        assertThat(manifest.path("mediaType").asString()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        List<JsonNode> descriptors = new ArrayList<>();
        descriptors.add(manifest.path("config"));
        manifest.path("layers").forEach(descriptors::add);
        for (JsonNode d : descriptors) {
            Path blob = blob(d.path("digest").asString());
            assertThat(Files.size(blob)).as("size of %s", d.path("digest").asString()).isEqualTo(d.path("size").asLong());
            assertThat("sha256:" + sha256(blob)).isEqualTo(d.path("digest").asString());
        }
        assertThat(config.path("os").asString()).isEqualTo("linux");
        assertThat(config.path("architecture").asString()).isEqualTo("amd64");
    }

    @Test
    void runsServeAsANonRootUserWithContainerAwareJvmFlags() {
        JsonNode c = config.path("config");
        assertThat(c.path("User").asString()).isEqualTo("10001:10001");
        assertThat(c.path("User").asString().split(":")[0]).isNotIn("0", "root", "");
        List<String> entrypoint = strings(c.path("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:+UseContainerSupport", "-XX:MaxRAMPercentage=75.0",
                "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8");
        assertThat(entrypoint).noneMatch(f -> f.startsWith("-Xmx")).as("heap from the container limit, not fixed");
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("io.quantumtrader.app.QuantumTraderCli");
        assertThat(strings(c.path("Cmd"))).containsExactly("serve");
        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(strings(c.path("Env"))).anyMatch(e -> e.startsWith("PATH=/opt/java/bin:"));
    }

    @Test
    void layersHoldTheApplicationAndAnExecutableRuntime() throws Exception {
        Map<String, String> modes = new LinkedHashMap<>();
        List<String> comments = StreamSupport.stream(config.path("history").spliterator(), false)
                .map(h -> h.path("comment").asString()).toList();
        assertThat(comments).contains("dependencies", "resources", "classes", "extra files");
        for (JsonNode layer : manifest.path("layers")) {
            assertThat(layer.path("mediaType").asString()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            String listing = run(List.of("tar", "--warning=no-unknown-keyword", "-tvzf", blob(layer.path("digest").asString()).toString()),
                    Duration.ofMinutes(1));
            Matcher m = Pattern.compile("^(\\S+) (\\S+)\\s+\\d+ \\S+ \\S+ (\\S+)", Pattern.MULTILINE).matcher(listing);
            while (m.find()) {
                modes.put(m.group(3), m.group(1));
                assertThat(m.group(2)).as("owner of %s", m.group(3)).isEqualTo("0/0");
            }
        }
        assertThat(modes).containsKeys("app/classes/io/quantumtrader/app/QuantumTraderCli.class", "app/jib-classpath-file",
                "app/resources/application.yml", "app/resources/topology/streams.yaml", "etc/passwd");
        assertThat(modes.keySet()).anyMatch(p -> p.matches("app/libs/spring-boot-4\\..*\\.jar"));
        assertThat(modes.get("opt/java/bin/java")).isEqualTo("-rwxr-xr-x");
        assertThat(modes.get("opt/java/lib/jspawnhelper")).isEqualTo("-rwxr-xr-x");
        assertThat(modes.get("lib64/ld-linux-x86-64.so.2")).isEqualTo("-rwxr-xr-x");
        assertThat(modes.get("tmp/")).isEqualTo("drwxrwxrwx");
    }

    @Test
    void startsAndBecomesReadyAsUser10001() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux") && "root".equals(System.getProperty("user.name")),
                "running the image needs root (chroot, unshare) on Linux");
        Path rootfs = work.resolve("rootfs");
        Files.createDirectories(rootfs);
        for (JsonNode layer : manifest.path("layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", blob(layer.path("digest").asString()).toString(),
                    "-C", rootfs.toString()), Duration.ofMinutes(1));
        }
        Files.createDirectories(rootfs.resolve("proc"));
        Files.createDirectories(rootfs.resolve("dev"));
        RedisConnection redis = RedisTestSupport.redis();
        int port = freePort();

        List<String> inside = new ArrayList<>(strings(config.path("config").path("Entrypoint")));
        inside.addAll(strings(config.path("config").path("Cmd")));
        String script = "mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\" && exec chroot --userspec="
                + config.path("config").path("User").asString() + " \"$0\" \"$@\"";
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--kill-child", "sh", "-c", script, rootfs.toString()));
        command.addAll(inside);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("serve.log").toFile());
        pb.environment().clear();
        strings(config.path("config").path("Env")).forEach(e -> pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
        pb.environment().put("REDIS_URL", "redis://127.0.0.1:" + redis.port());
        pb.environment().put("SERVER_PORT", String.valueOf(port));
        pb.environment().put("QT_NAMESPACE", "image-" + UUID.randomUUID().toString().substring(0, 8));
        pb.environment().put("QUANTUM_TRADER_INSTANCE_ID", "image-test");
        Process serve = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String readiness = null;
            while (System.nanoTime() < deadline && serve.isAlive()) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        readiness = r.body();
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            String log = Files.readString(work.resolve("serve.log"));
            assertThat(readiness).as("readiness of the image's serve; its output:\n%s", log).contains("\"status\":\"UP\"");
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("qt_streams_state{application=\"quantum-trader\"} 1.0");
            assertThat(metrics).as("heap limit from the container-aware flags").contains("jvm_memory_max_bytes");
            assertThat(serve.descendants().map(ContainerImageTest::uids).toList()).as("uids of the image's processes")
                    .contains("10001 10001 10001 10001").allMatch(u -> !u.startsWith("0 "));
        } finally {
            serve.descendants().forEach(ProcessHandle::destroy);
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.descendants().forEach(ProcessHandle::destroyForcibly);
                serve.destroyForcibly();
            }
        }
    }

    /** @return real, effective, saved and file-system uid of a process (/proc/PID/status) */
    private static String uids(ProcessHandle p) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").substring(4).trim().replaceAll("\\s+", " ");
        } catch (IOException gone) {
            return "gone";
        }
    }

    private static Path blob(String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took longer than " + timeout);
        }
        assertThat(p.exitValue()).as("%s:\n%s", String.join(" ", command), out).isZero();
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
