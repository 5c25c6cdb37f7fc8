package io.quantumtrader.streams.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.quantumtrader.app.RedisConnection;
import io.quantumtrader.app.RedisTarget;
import io.quantumtrader.app.RedisTls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * A Redis Cluster on loopback for tests: {@code masters} masters with {@code replicasPerMaster} replicas each, every
 * node a redis-server process started by the test ({@link RedisBinary}), created from Java as an operator would with
 * {@code redis-cli --cluster create}: CLUSTER ADDSLOTSRANGE on the masters, CLUSTER MEET, CLUSTER REPLICATE. A low
 * {@code cluster-node-timeout} (1 s) lets a replica take over within seconds when its master is killed. Never touches
 * the machine's 6379; {@link #close()} kills only the processes it started, by PID.
 */
public final class TestCluster implements AutoCloseable {

    /** One server process. */
    public record Node(int port, Process process) {
        public long pid() {
            return process.pid();
        }
    }

    static final int NODE_TIMEOUT_MS = 1000;

    private final Path dir;
    /** Changed by {@link #addMaster} and {@link #restart}, possibly from a test's own thread. */
    private final List<Node> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RedisClient admin = RedisClient.create();
    private final TestCertificates.Pem tls;
    /** With {@link #startBehindProxies}: one proxy per node, which the nodes announce to clients; else empty. */
    private final List<io.quantumtrader.streams.redis.ReplyHoldingProxy> proxies = new ArrayList<>();

    private TestCluster(Path dir, TestCertificates.Pem tls) {
        this.dir = dir;
        this.tls = tls;
    }

    /** Starts the processes and forms the cluster; returns when every slot is served and every replica is in sync. */
    public static TestCluster start(int masters, int replicasPerMaster) {
        return start(masters, replicasPerMaster, null);
    }

    /**
     * @param tls certificates: every node then serves TLS only ({@code port 0}, {@code tls-port}, {@code tls-cluster},
     *            {@code tls-replication}), with the server certificate signed by the test CA; null for plain TCP
     */
    public static TestCluster start(int masters, int replicasPerMaster, TestCertificates.Pem tls) {
        return formed(masters, replicasPerMaster, tls, false);
    }

    private static TestCluster formed(int masters, int replicasPerMaster, TestCertificates.Pem tls, boolean proxied) {
        TestCluster c;
        try {
            c = new TestCluster(Files.createTempDirectory("qt-cluster"), tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            if (proxied) {
                c.proxies.add(null); // marks the cluster as proxied while it forms (see form)
            }
            c.form(masters, replicasPerMaster);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Starts a cluster of {@code masters} masters (no replicas) whose clients reach every node through a
     * {@link io.quantumtrader.streams.redis.ReplyHoldingProxy} on loopback: the nodes announce the proxies' ports
     * ({@code cluster-announce-port}) and gossip on their own bus ports, so a test can lose replies of any node
     * ({@link #proxies()}).
     */
    public static TestCluster startBehindProxies(int masters) {
        return formed(masters, 0, null, true);
    }

    /** @return the proxies in front of the nodes ({@link #startBehindProxies}), in node order; empty otherwise */
    public List<io.quantumtrader.streams.redis.ReplyHoldingProxy> proxies() {
        return List.copyOf(proxies);
    }

    private void form(int masters, int replicasPerMaster) {
        int total = masters * (1 + replicasPerMaster);
        boolean proxied = !proxies.isEmpty();
        proxies.clear();
        for (int i = 0; i < total; i++) {
            int port = freePortPair();
            if (proxied) {
                try {
                    proxies.add(new io.quantumtrader.streams.redis.ReplyHoldingProxy(port));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            nodes.add(startNode(port, proxied ? proxies.get(i).port() : 0));
        }
        List<String> ids = new ArrayList<>();
        for (Node n : nodes) {
            ids.add(sync(n, c -> c.clusterMyId()));
        }
        int per = 16384 / masters;
        for (int m = 0; m < masters; m++) {
            int from = m * per;
            int to = m == masters - 1 ? 16383 : from + per - 1;
            sync(nodes.get(m), c -> c.clusterAddSlotsRange(io.lettuce.core.Range.create(from, to)));
        }
        for (Node n : nodes.subList(1, nodes.size())) {
            sync(n, c -> c.clusterMeet("127.0.0.1", nodes.get(0).port()));
        }
        waitFor("every node knows all " + total, Duration.ofSeconds(20), () -> nodes.stream()
                .allMatch(n -> sync(n, c -> c.clusterInfo()).contains("cluster_known_nodes:" + total)));
        for (int r = 0; r < masters * replicasPerMaster; r++) {
            String masterId = ids.get(r % masters);
            Node replica = nodes.get(masters + r);
            waitFor("replica " + replica.port() + " sees its master", Duration.ofSeconds(10),
                    () -> sync(replica, c -> c.clusterNodes()).contains(masterId));
            sync(replica, c -> c.clusterReplicate(masterId));
        }
        waitFor("cluster_state:ok on every node", Duration.ofSeconds(30), () -> nodes.stream()
                .allMatch(n -> sync(n, c -> c.clusterInfo()).contains("cluster_state:ok")));
        waitFor("replicas in sync", Duration.ofSeconds(30), () -> nodes.subList(masters, nodes.size()).stream()
                .allMatch(n -> sync(n, c -> c.info("replication")).contains("master_link_status:up")));
    }

    /**
     * Starts a cluster for a manual run (docs/OPERATIONS.md "Redis Cluster and TLS") and prints its {@code REDIS_URL};
     * stops it on Ctrl-C. Arguments: masters (3), replicas per master (1).
     */
    public static void main(String[] args) throws InterruptedException {
        TestCluster c = start(args.length > 0 ? Integer.parseInt(args[0]) : 3, args.length > 1 ? Integer.parseInt(args[1]) : 1);
        Runtime.getRuntime().addShutdownHook(new Thread(c::close));
        System.out.println("REDIS_URL=" + c.url());
        Thread.currentThread().join();
    }

    /** @return the seed addresses of every node */
    public List<RedisTarget.HostPort> seeds() {
        if (!proxies.isEmpty()) {
            return proxies.stream().map(p -> new RedisTarget.HostPort("127.0.0.1", p.port())).toList();
        }
        return nodes.stream().map(n -> new RedisTarget.HostPort("127.0.0.1", n.port())).toList();
    }

    /** @return a connection through the application's own code path ({@link RedisConnection#of(RedisTarget)}) */
    public RedisConnection connect() {
        return RedisConnection.of(new RedisTarget(seeds(), true, null, null, 0, tls == null ? RedisTls.NONE : RedisTls.trusting(tls.ca())));
    }

    /** @return {@code REDIS_URL} for this cluster: {@code redis://127.0.0.1:p1,127.0.0.1:p2,...} */
    public String url() {
        return (tls == null ? "redis://" : "rediss://") + String.join(",", seeds().stream().map(RedisTarget.HostPort::toString).toList());
    }

    /** @return the live node currently master of {@code key}'s slot */
    public Node masterOf(String key) {
        int slot = SlotHash.getSlot(key);
        for (Node n : live()) {
            String role = sync(n, c -> c.info("replication"));
            if (!role.contains("role:master")) {
                continue;
            }
            for (String line : sync(n, c -> c.clusterNodes()).split("\n")) {
                String[] f = line.split(" ");
                if (f.length < 9 || !f[2].contains("myself")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    if (range[0].startsWith("[")) {
                        continue;
                    }
                    int lo = Integer.parseInt(range[0]);
                    int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                    if (slot >= lo && slot <= hi) {
                        return n;
                    }
                }
            }
        }
        throw new IllegalStateException("no live master serves slot " + slot);
    }

    /** @return the nodes whose process is alive */
    public List<Node> live() {
        return nodes.stream().filter(n -> n.process().isAlive()).toList();
    }

    /** @return every node started */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Kills a node's process (SIGKILL by PID), as a crashed machine. */
    public void kill(Node node) {
        node.process().destroyForcibly();
        try {
            node.process().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts a killed node again on its port with its cluster config (as Kubernetes restarts a pod): it rejoins, as a
     * replica of whichever node took over its slots.
     *
     * @return the new process
     */
    public Node restart(Node node) {
        int i = nodes.indexOf(node);
        Node again = startNode(node.port(), proxies.isEmpty() ? 0 : proxies.get(i).port());
        nodes.set(i, again);
        return again;
    }

    /**
     * Starts a node and has it join the cluster as a master serving no slot (the first step of scaling a cluster out,
     * before slots move to it). Not with {@link #startBehindProxies}.
     *
     * @return the new node, last in {@link #nodes()}
     */
    public Node addMaster() {
        if (!proxies.isEmpty()) {
            throw new IllegalStateException("addMaster does not put a proxy in front of the new node");
        }
        Node added = startNode(freePortPair());
        nodes.add(added);
        sync(added, c -> c.clusterMeet("127.0.0.1", nodes.get(0).port()));
        int total = nodes.size();
        waitFor("every node knows all " + total, Duration.ofSeconds(20), () -> live().stream()
                .allMatch(n -> sync(n, c -> c.clusterInfo()).contains("cluster_known_nodes:" + total)));
        // until it has the slot map, the new node answers CLUSTERDOWN (a MIGRATE to it fails)
        awaitHealthy(Duration.ofSeconds(20));
        return added;
    }

    /** Waits until every live node reports cluster_state:ok (e.g. after a replica took over). */
    public void awaitHealthy(Duration timeout) {
        waitFor("cluster_state:ok on every live node", timeout, () -> live().stream()
                .allMatch(n -> sync(n, c -> c.clusterInfo()).contains("cluster_state:ok")));
    }

    /** Runs an admin command on one node. */
    public <T> T sync(Node n, java.util.function.Function<RedisCommands<String, String>, T> command) {
        RedisURI uri = tls == null ? RedisURI.create("127.0.0.1", n.port())
                : RedisURI.builder().withHost("127.0.0.1").withPort(n.port()).withSsl(true).withVerifyPeer(false).build();
        try (StatefulRedisConnection<String, String> c = admin.connect(uri)) {
            c.setTimeout(Duration.ofSeconds(5));
            return command.apply(c.sync());
        }
    }

    @Override
    public void close() {
        for (io.quantumtrader.streams.redis.ReplyHoldingProxy proxy : proxies) {
            try {
                if (proxy != null) {
                    proxy.close();
                }
            } catch (IOException ignored) {
                // loopback sockets
            }
        }
        nodes.forEach(this::kill);
        admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }

    private Node startNode(int port) {
        return startNode(port, 0);
    }

    /** @param announcePort the port the node gives clients (a proxy's), or 0 for its own */
    private Node startNode(int port, int announcePort) {
        try {
            Path conf = dir.resolve("redis-" + port + ".conf");
            List<String> tlsLines = tls == null ? List.of("port " + port) : List.of("port 0", "tls-port " + port,
                    "tls-cluster yes", "tls-replication yes", "tls-cert-file " + tls.serverCert(), "tls-key-file " + tls.serverKey(),
                    "tls-ca-cert-file " + tls.ca(), "tls-auth-clients no");
            Files.writeString(conf, String.join("\n", tlsLines) + "\n" + String.join("\n",
                    "bind 127.0.0.1",
                    "protected-mode no",
                    "dir " + dir,
                    "cluster-enabled yes",
                    "cluster-config-file nodes-" + port + ".conf",
                    "cluster-node-timeout " + NODE_TIMEOUT_MS,
                    "cluster-replica-validity-factor 0",
                    "save \"\"",
                    "appendonly no",
                    "repl-diskless-sync yes",
                    "repl-diskless-sync-delay 0",
                    "maxmemory-policy noeviction",
                    "logfile redis-" + port + ".log",
                    announcePort == 0 ? "" : "cluster-announce-port " + announcePort + "\ncluster-announce-bus-port " + (port + 10000),
                    ""));
            Process p = new ProcessBuilder(RedisBinary.path().toString(), conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout-" + port).toFile()).start();
            Node n = new Node(port, p);
            waitFor("redis-server on port " + port, Duration.ofSeconds(10), () -> {
                try {
                    return "PONG".equals(sync(n, RedisCommands::ping));
                } catch (RuntimeException e) {
                    return false;
                }
            });
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePortPair() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 40000);
            if (free(port) && free(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (port, port + 10000) for a cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until a server this test started accepts connections on loopback {@code port}. */
    public static void waitForListening(String what, int port, Duration timeout) {
        waitFor(what + " on " + port, timeout, () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    public static void waitFor(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what);
            }
        }
    }
}
