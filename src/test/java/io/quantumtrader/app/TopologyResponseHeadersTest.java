package io.quantumtrader.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07, HTTP surface): the live topology page, its script and its JSON are served without
 * {@code X-Content-Type-Options: nosniff}, and {@code live.json} ("the numbers now") without any
 * {@code Cache-Control}, so a browser may sniff a response as another type and a cache or a proxy between the
 * operator and the pod may keep an old reading (the page's own fetch asks for no-store, nothing else does).
 */
class TopologyResponseHeadersTest {

    private final WebTestClient client = WebTestClient.bindToRouterFunction(new OperationsConfiguration()
            .liveTopologyRoutes(QuantumTraderTopology.build(), StreamsConfig.defaults(), new SimpleMeterRegistry())).build();

    @Test
    void everyResponseOfTheTopologyPageSaysNoSniff() {
        for (String path : new String[] {"/topology", "/topology/graph.json", "/topology/live.json", "/topology/assets/topology.js",
                "/topology/assets/topology.css"}) {
            EntityExchangeResult<byte[]> r = client.get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult();
            assertThat(r.getResponseHeaders().getFirst("X-Content-Type-Options")).as("X-Content-Type-Options of GET %s", path)
                    .isEqualTo("nosniff");
        }
    }

    /** Behind a path prefix (kubectl proxy, an ingress sub-path) the redirect stays under it: a relative location. */
    @Test
    void theSlashRedirectIsRelative() {
        EntityExchangeResult<byte[]> r = client.get().uri("/topology/").exchange().expectStatus().isPermanentRedirect()
                .expectBody().returnResult();
        assertThat(r.getResponseHeaders().getFirst(HttpHeaders.LOCATION)).isEqualTo("../topology");
        assertThat(java.net.URI.create("http://h/api/v1/namespaces/n/services/s:http/proxy/topology/")
                .resolve(r.getResponseHeaders().getFirst(HttpHeaders.LOCATION)).getPath())
                .isEqualTo("/api/v1/namespaces/n/services/s:http/proxy/topology");
    }

    @Test
    void theLiveReadingIsNotStoredByCaches() {
        EntityExchangeResult<byte[]> r = client.get().uri("/topology/live.json").exchange().expectStatus().isOk()
                .expectBody().returnResult();
        assertThat(r.getResponseHeaders().getFirst(HttpHeaders.CACHE_CONTROL)).as("Cache-Control of GET /topology/live.json")
                .isNotNull().contains("no-store");
    }
}
