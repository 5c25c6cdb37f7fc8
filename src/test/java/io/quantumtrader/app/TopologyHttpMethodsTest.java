package io.quantumtrader.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07): the live topology routes answered GET only, so HEAD of {@code /topology},
 * {@code /topology/graph.json} and {@code /topology/live.json} was 404 (uptime checks, link checkers and
 * {@code curl -I} use HEAD). HEAD of a GET resource is answered as the GET would be, without a body (RFC 9110 §9.3.2).
 * Found in review (2026-12-07): another method on them (POST, PUT, DELETE, OPTIONS) was 404 Not Found, though the
 * resource exists; it is 405 Method Not Allowed with {@code Allow: GET, HEAD} (RFC 9110 §15.5.6).
 */
class TopologyHttpMethodsTest {

    static final String[] PATHS = {"/topology", "/topology/graph.json", "/topology/live.json"};

    private final WebTestClient client = WebTestClient.bindToRouterFunction(new OperationsConfiguration()
            .liveTopologyRoutes(QuantumTraderTopology.build(), StreamsConfig.defaults(), new SimpleMeterRegistry())).build();

    @Test
    void headOfThePageAndItsJsonIsAnsweredAsGetIsWithoutABody() {
        for (String path : PATHS) {
            EntityExchangeResult<byte[]> get = client.get().uri(path).exchange().expectStatus().isOk()
                    .expectBody().returnResult();
            EntityExchangeResult<byte[]> head = client.head().uri(path).exchange().expectStatus().isOk()
                    .expectBody().returnResult();
            assertThat(head.getResponseBody()).as("HEAD %s has no body", path).isNullOrEmpty();
            assertThat(get.getResponseBody()).as("GET %s has one", path).isNotEmpty();
            assertThat(head.getResponseHeaders().getContentType()).as("HEAD %s: the GET's content type", path)
                    .isEqualTo(get.getResponseHeaders().getContentType());
            assertThat(head.getResponseHeaders().getFirst(HttpHeaders.CONTENT_LENGTH) == null
                    || !head.getResponseHeaders().getFirst(HttpHeaders.CONTENT_LENGTH).equals("0"))
                    .as("HEAD %s does not announce an empty body", path).isTrue();
        }
    }

    @Test
    void anotherMethodIs405WithTheMethodsAllowed() {
        for (String path : PATHS) {
            for (HttpMethod method : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS,
                    HttpMethod.PATCH}) {
                EntityExchangeResult<byte[]> r = client.method(method).uri(path).exchange()
                        .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED).expectBody().returnResult();
                assertThat(r.getResponseHeaders().getAllow()).as("Allow of %s %s", method, path)
                        .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
            }
        }
        client.post().uri("/topology/nothing-here").exchange().expectStatus().isNotFound();
    }
}
