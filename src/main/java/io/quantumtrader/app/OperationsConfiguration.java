package io.quantumtrader.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsHealth;
import io.quantumtrader.streams.dsl.Topology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Duration;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;
import static org.springframework.web.reactive.function.server.RequestPredicates.path;

/**
 * What an operator looks at besides {@code /actuator}: the {@code qt.streams.health} meter ({@link HealthMeter}) and
 * the live topology page of {@code serve} (docs/OPERATIONS.md, "Live topology"):
 * <ul>
 *   <li>{@code GET /topology}: the page, the topology drawn in the browser with live rates, lag and backpressure;</li>
 *   <li>{@code GET /topology/graph.json}: what it draws ({@link LiveTopologyGraph}, the model the exports use);</li>
 *   <li>{@code GET /topology/live.json}: the numbers ({@link LiveTopologySnapshot}), read from the meters;</li>
 *   <li>{@code GET /topology/assets/*}: its script and style sheet (nothing is loaded from elsewhere).</li>
 * </ul>
 * HEAD of each is answered as its GET, without a body (RFC 9110 §9.3.2; until 2026-12-07 it was 404, found in review:
 * {@code TopologyHttpMethodsTest}); any other method on them is 405 with {@code Allow: GET, HEAD} (it was 404 too).
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    /** Where the page's files are on the class path. */
    static final String ASSETS = "io/quantumtrader/app/topology/";

    /** @return the meter of the streams health, checked every 10 s */
    @Bean
    HealthMeter healthMeter(StreamsHealth health, MeterRegistry registry, Topology topology) {
        return new HealthMeter(health, registry, topology.applicationId(), Duration.ofSeconds(10));
    }

    /** @return the routes of the live topology page */
    @Bean
    RouterFunction<ServerResponse> liveTopologyRoutes(Topology topology, StreamsConfig config, MeterRegistry registry) {
        LiveTopologyGraph graph = LiveTopologyGraph.of(topology, config.catalog());
        ClassPathResource page = new ClassPathResource(ASSETS + "index.html");
        return RouterFunctions.route()
                .route(getOrHead("/topology"), r -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page))
                // relative: behind a path prefix (kubectl proxy's .../proxy/topology/, an ingress sub-path) an absolute
                // /topology left the prefix and was a 404 (review 2026-12-07: TopologyResponseHeadersTest)
                .route(getOrHead("/topology/"), r -> ServerResponse.permanentRedirect(URI.create("../topology")).build())
                .route(getOrHead("/topology/graph.json"), r -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(graph))
                .route(getOrHead("/topology/live.json"), r -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(Mono.fromCallable(() -> LiveTopologySnapshot.read(registry, topology.applicationId()))
                                .subscribeOn(Schedulers.boundedElastic()), LiveTopologySnapshot.class))
                // the resources exist: another method is "not allowed" (RFC 9110 §15.5.6), not "not found"
                .route(path("/topology").or(path("/topology/")).or(path("/topology/graph.json")).or(path("/topology/live.json")),
                        r -> ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).allow(HttpMethod.GET, HttpMethod.HEAD).build())
                .add(RouterFunctions.resources("/topology/assets/**", new ClassPathResource(ASSETS)))
                .filter((request, next) -> {
                    // before the handler writes: its own headers are added to these (review 2026-12-07: none said
                    // nosniff, and live.json, the numbers now, could be kept by a cache or a proxy)
                    HttpHeaders headers = request.exchange().getResponse().getHeaders();
                    headers.set("X-Content-Type-Options", "nosniff");
                    if (request.path().endsWith(".json")) {
                        headers.setCacheControl("no-store");
                    }
                    return next.handle(request);
                })
                .build();
    }

    /**
     * @return a filter giving every response {@code X-Content-Type-Options: nosniff}, and the Actuator's
     *         {@code Cache-Control: no-store} (health and metrics are readings of now); found in review (2026-12-07)
     */
    @Bean
    org.springframework.web.server.WebFilter responseHeaders() {
        return (exchange, chain) -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            if (exchange.getRequest().getPath().value().startsWith("/actuator")) {
                headers.setCacheControl("no-store");
            }
            return chain.filter(exchange);
        };
    }

    /**
     * @return a handler that gives a 405 the {@code Allow} header its exception carries, before Spring Boot's error
     *         handler writes the answer without it (RFC 9110 §15.5.6: a 405 MUST name the allowed methods; found in
     *         review, 2026-12-07: the Actuator's 405s had none)
     */
    @Bean
    @org.springframework.core.annotation.Order(-2)
    org.springframework.web.server.WebExceptionHandler allowOnMethodNotAllowed() {
        return (exchange, ex) -> {
            if (ex instanceof org.springframework.web.server.MethodNotAllowedException notAllowed
                    && !exchange.getResponse().isCommitted()) {
                exchange.getResponse().getHeaders().setAllow(notAllowed.getSupportedMethods());
            }
            return Mono.error(ex);
        };
    }

    /**
     * @return GET or HEAD of {@code path}: WebFlux answers HEAD with the GET's status and headers and drops the body
     *         ({@code HttpHeadResponseDecorator}), but a functional route matches only the methods it names
     */
    private static RequestPredicate getOrHead(String path) {
        return GET(path).or(HEAD(path));
    }
}
