package io.quantumtrader.app;

import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What tests that run the replay CLI in child JVMs ({@link CliProcess}) share: a Redis of their own on a free loopback
 * port, a working directory with the project's risk rules and stream catalog, and the first trades of the bundled
 * Bitstamp file.
 */
final class ReplayFixture {

    /** A started embedded Redis (no persistence) and its port. */
    record LocalRedis(RedisServer server, int port) {
        /** @return {@code REDIS_URL} for it */
        String url() {
            return "redis://127.0.0.1:" + port;
        }

        void stop() throws IOException {
            server.stop();
        }
    }

    /**
     * A Redis started before a test class's tests and stopped after them:
     * {@code @RegisterExtension static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();}.
     */
    static final class RedisPerClass implements BeforeAllCallback, AfterAllCallback {
        private LocalRedis redis;

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            redis = startRedis();
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (redis != null) {
                redis.stop();
            }
        }

        /** @return {@code REDIS_URL} for the running Redis */
        String url() {
            return redis.url();
        }

        /** @return the running Redis' port */
        int port() {
            return redis.port();
        }
    }

    /** @return a loopback port free now */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private ReplayFixture() {
    }

    /**
     * @param settings redis.conf lines beside no persistence ({@code "requirepass …"}, {@code "databases 32"}, …)
     * @return a Redis started on a free loopback port
     */
    static LocalRedis startRedis(String... settings) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var builder = RedisServer.builder().bind("127.0.0.1").port(port).setting("save \"\"").setting("appendonly no");
        for (String setting : settings) {
            builder.setting(setting);
        }
        RedisServer server = builder.build();
        server.start();
        return new LocalRedis(server, port);
    }

    /** @return {@code root/name}, holding {@code config/risk-rules.yaml} and {@code topology/streams.yaml} as the replay reads them */
    static Path workDir(Path root, String name) throws IOException {
        Path w = Files.createDirectories(root.resolve(name));
        Files.createDirectories(w.resolve("config"));
        Files.createDirectories(w.resolve("topology"));
        Files.copy(Path.of("config/risk-rules.yaml"), w.resolve("config/risk-rules.yaml"));
        Files.copy(Path.of("topology/streams.yaml"), w.resolve("topology/streams.yaml"));
        return w;
    }

    /** @return {@code root/trades.csv}: the header and the first {@code ticks} trades of the bundled file (written once) */
    static Path trades(Path root, int ticks) throws IOException {
        Path file = root.resolve("trades.csv");
        if (!Files.exists(file)) {
            try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
                Files.write(file, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(ticks + 1L).toList());
            }
        }
        return file;
    }
}
