package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password rotated in Redis while {@code serve} runs with the old one: Lettuce's reconnects are refused (WRONGPASS)
 * for ever and nothing is processed, so once the refusals have lasted {@code credentials-refused-restart} liveness
 * turns BROKEN and Kubernetes restarts the container, which reads the new secret. Found in review (2026-12-05): the pod
 * stayed alive doing nothing, and health blamed a timeout. A real serve in a child JVM against a Redis this test starts.
 */
class ServeCredentialsRotationTest {

    private static final String OLD = "old-Passw0rd-1";
    private static final String NEW = "new-Passw0rd-2";

    @Test
    void refusedCredentialsTurnLivenessBrokenAndNameTheCause(@TempDir Path dir) throws Exception {
        int redisPort = freePort();
        RedisServer redis = RedisServer.builder().bind("127.0.0.1").port(redisPort)
                .setting("save \"\"").setting("appendonly no").setting("requirepass " + OLD).build();
        redis.start();
        int port = freePort();
        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        Process serve = null;
        try {
            serve = CliProcess.start(dir, Map.of("REDIS_URL", "redis://:" + OLD + "@127.0.0.1:" + redisPort,
                    "QT_NAMESPACE", "rotation-" + port), List.of("serve", "--server.port=" + port,
                    "--quantum-trader.credentials-refused-restart=6s"), out, err);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            int up = -1;
            for (long until = System.nanoTime() + Duration.ofSeconds(90).toNanos(); up != 200 && System.nanoTime() < until; ) {
                up = status(http, port, serve, Duration.ofSeconds(5));   // 503 while the context starts
                if (up != 200) {
                    Thread.sleep(500);
                }
            }
            assertThat(up).as("liveness while Redis accepts; stderr: %s",
                    Files.exists(err) ? Files.readString(err) : "").isEqualTo(200);

            // the password is rotated in Redis, and the service's connections are dropped
            rotatePasswordAndDropClients(redisPort);

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int live = 200;
            while (live == 200 && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                live = status(http, port, serve, Duration.ofSeconds(5));
            }
            // a reconnect that fails otherwise (a connect timeout) starts the refusals' count over and clears the
            // named refusal until the next WRONGPASS (RedisCredentialsWatch#refused): with two test JVMs side by side
            // one health read fell between the two once (2026-12-07); read until a refusal names it, at most 20 s
            String health = "";
            for (long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                 !health.contains("Redis refuses the service's credentials") && System.nanoTime() < until; ) {
                health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(health).doesNotContain(OLD).doesNotContain(NEW);
                if (!health.contains("Redis refuses the service's credentials")) {
                    Thread.sleep(500);
                }
            }
            assertThat(health).contains("Redis refuses the service's credentials");
            String stderr = Files.readString(err);
            assertThat(live).as("liveness once the credentials were refused for 6 s; stderr:\n%s", stderr).isEqualTo(503);
            assertThat(stderr).contains("Redis has refused the service's credentials").contains("WRONGPASS")
                    .doesNotContain(OLD).doesNotContain(NEW);
        } finally {
            if (serve != null) {
                serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            redis.stop();
        }
    }

    /** Sets the new password and drops every client connection but its own (CLIENT KILL TYPE normal SKIPME yes). */
    private static void rotatePasswordAndDropClients(int redisPort) throws Exception {
        try (var s = new java.net.Socket("127.0.0.1", redisPort)) {
            var o = s.getOutputStream();
            o.write(("AUTH " + OLD + "\r\nCONFIG SET requirepass " + NEW + "\r\nCLIENT KILL TYPE normal SKIPME yes\r\n")
                    .getBytes());
            o.flush();
            s.setSoTimeout(5000);
            byte[] b = new byte[256];
            s.getInputStream().read(b);
        }
    }

    private static int status(HttpClient http, int port, Process serve, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && serve.isAlive()) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (java.io.IOException e) {
                Thread.sleep(500);
            }
        }
        return -1;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
