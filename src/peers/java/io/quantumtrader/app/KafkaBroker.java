package io.quantumtrader.app;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka (KRaft, broker and controller in one process, one voter) in a child JVM, from the
 * {@code org.apache.kafka:kafka_2.13} classes on this JVM's class path: {@code kafka.tools.StorageTool format}, then
 * {@code kafka.Kafka}. Loopback only, a fresh log directory, stopped (and its directory deleted) on {@link #close()}.
 */
final class KafkaBroker implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final String bootstrap;

    private KafkaBroker(Process process, Path dir, String bootstrap) {
        this.process = process;
        this.dir = dir;
        this.bootstrap = bootstrap;
    }

    /** Formats the storage, starts the broker and waits until it answers (at most 60 s). */
    static KafkaBroker start() throws Exception {
        Path dir = Files.createTempDirectory("peers-kafka");
        int port = freePort();
        int controller = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process format = new ProcessBuilder(java, "-cp", cp, "kafka.tools.StorageTool", "format", "-t",
                Uuid.randomUuid().toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
        }
        List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx1g", "-XX:+UseG1GC",
                "-Dlog4j2.level=WARN", "-cp", cp, "kafka.Kafka", config.toString()));
        Process broker = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker.log").toFile()).start();
        KafkaBroker b = new KafkaBroker(broker, dir, "127.0.0.1:" + port);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "kafka-broker-stop")); // when this JVM is stopped
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrap,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000))) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return b;
            } catch (Exception e) {
                if (!broker.isAlive() || System.nanoTime() > deadline) {
                    Path log = b.keepLog(); // before close() deletes the directory the log is in
                    b.close();
                    throw new IllegalStateException("kafka broker did not start; see " + log, e);
                }
                Thread.sleep(500);
            }
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    /**
     * Copies the broker's output so far out of its directory, which {@link #close()} deletes.
     *
     * @return the copy, a {@code peers-kafka-broker-*.log} file in the temporary directory; the log's own path when the
     *         copy failed
     */
    Path keepLog() {
        Path log = dir.resolve("broker.log");
        try {
            Path kept = Files.createTempFile("peers-kafka-broker-", ".log");
            Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return kept;
        } catch (IOException e) {
            return log;
        }
    }

    /** @return the broker process's id, for its CPU time */
    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
