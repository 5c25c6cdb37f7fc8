package io.quantumtrader.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's HTTP port as a careless or hostile client meets it. Found in review (2026-12-07, HTTP surface): a
 * connection that sent nothing, or half a request, was never closed (two still open after 150 s: any client reaching
 * the port could hold as many as it liked); the Actuator's 405s had no {@code Allow} header (RFC 9110 §15.5.6) and its
 * responses no {@code nosniff} nor {@code no-store}. The idle timeout is 60 s in application.yml; 2 s here.
 */
class ServeHttpHardeningTest {

    static ConfigurableApplicationContext app;
    static int port;

    @BeforeAll
    static void start() {
        app = new SpringApplicationBuilder(QuantumTraderApplication.class)
                .run("--server.port=0", "--server.address=127.0.0.1", "--server.netty.idle-timeout=2s",
                        "--quantum-trader.namespace=http-" + UUID.randomUUID().toString().substring(0, 8));
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theServiceClosesIdleConnectionsAfterTheConfiguredTimeoutSixtySecondsByDefault() throws Exception {
        assertThat(Files.readString(Path.of("src/main/resources/application.yml"))).contains("idle-timeout: 60s");
        try (Socket idle = new Socket("127.0.0.1", port); Socket partial = new Socket("127.0.0.1", port)) {
            partial.getOutputStream().write("GET /topology HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            partial.getOutputStream().flush();
            idle.setSoTimeout(15_000);
            partial.setSoTimeout(15_000);
            assertThat(closedBy(idle)).as("a connection that sent nothing is closed by the server").isTrue();
            assertThat(closedBy(partial)).as("a connection whose request headers never ended is closed by the server").isTrue();
        }
    }

    @Test
    void anotherMethodOnAnActuatorEndpointIs405WithAllowAndItsAnswersAreNotSniffedNorStored() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus"}) {
            for (String method : new String[] {"POST", "DELETE"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("%s %s", method, path).isEqualTo(405);
                assertThat(r.headers().firstValue("Allow")).as("Allow of the 405 to %s %s", method, path).hasValueSatisfying(
                        allow -> assertThat(allow).contains("GET"));
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as("nosniff on GET %s", path).hasValue("nosniff");
            assertThat(r.headers().firstValue("Cache-Control")).as("Cache-Control on GET %s", path).hasValueSatisfying(
                    c -> assertThat(c).contains("no-store"));
        }
    }

    /** @return true when the server closed the connection (or answered it) before the socket's timeout */
    private static boolean closedBy(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        try {
            return in.read() >= -1;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
