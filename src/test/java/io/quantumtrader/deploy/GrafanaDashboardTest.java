package io.quantumtrader.deploy;

import io.quantumtrader.app.QuantumTraderApplication;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.trader.QuantumTraderTopology;
import io.quantumtrader.trader.events.PriceTick;
import io.quantumtrader.trader.market.TradesCsv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard (k8s/components/monitoring/dashboards/quantum-trader-streams.json) asks only for what the
 * service exports: {@code serve} runs the trading topology on its own embedded Redis, real ticks go through it, and
 * every metric (and every label it filters or groups by) of every PromQL expression of the dashboard must be in what
 * {@code /actuator/prometheus} then returns. Also checks the dashboard covers the meters docs/OPERATIONS.md promises.
 */
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("k8s/components/monitoring/dashboards/quantum-trader-streams.json");
    static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    static final Pattern BARE_METRIC = Pattern.compile("\\b((?:qt|jvm|process|system|http|redis|lettuce)_[a-zA-Z0-9_:]*)\\b(?!\\s*\\{)");
    static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})?\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
    /**
     * The labels Prometheus sets on every sample of a target it scrapes: {@code job} and {@code instance}, and with
     * Kubernetes service discovery (the Prometheus Operator's scrape configuration of a ServiceMonitor, as
     * k8s/components/monitoring's) {@code namespace}, {@code service}, {@code pod}, {@code container} and
     * {@code endpoint}. Not in what {@code /actuator/prometheus} returns, so not checked against it.
     */
    static final Set<String> SCRAPE_LABELS = Set.of("job", "instance", "namespace", "service", "pod", "container", "endpoint");
    /** The matcher every query carries: the dashboard's Kubernetes namespace variable. */
    static final String NAMESPACE_FILTER = "namespace=\"$namespace\"";

    static ConfigurableApplicationContext app;
    static int port;
    /** metric name → its samples' labels */
    static final Map<String, List<Map<String, String>>> EXPORTED = new HashMap<>();

    @BeforeAll
    static void scrapeARunningServe() throws Exception {
        app = new SpringApplicationBuilder(QuantumTraderApplication.class)
                // command-line arguments: they win over application.yml (default properties would not)
                .run("--server.port=0", "--server.address=127.0.0.1",
                        "--quantum-trader.namespace=dash-" + UUID.randomUUID().toString().substring(0, 8),
                        "--quantum-trader.instance-id=dashboard-test", "--quantum-trader.batch-size=200");
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
        List<PriceTick> ticks;
        try (InputStream in = TradesCsv.class.getResourceAsStream(TradesCsv.BITSTAMP_RESOURCE)) {
            ticks = TradesCsv.read(in, "BTC-USD").ticks().subList(0, 3_000);
        }
        StreamsConfig config = app.getBean(StreamsConfig.class);
        new EventPublisher(app.getBean(ReactiveStringRedisTemplate.class), new StreamKeys(config.namespace()), config.catalog(), "dashboard-test")
                .sendAll(Flux.fromIterable(ticks).map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.symbol(), t, t.timestamp())), 500)
                .block(Duration.ofSeconds(30));
        System.gc();   // the JVM's GC pause timer appears with the first collection
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String metrics = get("/actuator/prometheus");
            assertThat(sample(metrics, "qt_streams_records_in_total")).isGreaterThanOrEqualTo(3_000);
            assertThat(sample(metrics, "qt_streams_health")).isEqualTo(2.0);
            assertThat(metrics).contains("jvm_gc_pause_seconds_sum");
        });
        Matcher line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? ", Pattern.MULTILINE).matcher(get("/actuator/prometheus"));
        while (line.find()) {
            Map<String, String> labels = new HashMap<>();
            if (line.group(2) != null) {
                Matcher m = MATCHER.matcher(line.group(2));
                while (m.find()) {
                    labels.put(m.group(1), m.group(3));
                }
            }
            EXPORTED.computeIfAbsent(line.group(1), k -> new ArrayList<>()).add(labels);
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyExpressionNamesMetricsAndLabelsTheServiceExports() throws IOException {
        List<String> expressions = expressions();
        assertThat(expressions).hasSizeGreaterThan(20);
        for (String expr : expressions) {
            Matcher bare = BARE_METRIC.matcher(expr.replaceAll(LABEL_VALUES.pattern(), ""));
            assertThat(bare.find()).as("metric names in %s are written as name{...} (so this check sees them)", expr).isFalse();
            Matcher template = LABEL_VALUES.matcher(expr);
            if (template.find()) {
                assertThat(EXPORTED).as("metric of %s", expr).containsKey(template.group(1));
                if (!SCRAPE_LABELS.contains(template.group(3))) {
                    assertThat(EXPORTED.get(template.group(1))).as("label %s of %s", template.group(3), template.group(1))
                            .anyMatch(l -> l.containsKey(template.group(3)));
                }
                continue;
            }
            Matcher selector = SELECTOR.matcher(expr);
            Set<String> labelsOfMetrics = new HashSet<>();
            int selectors = 0;
            while (selector.find()) {
                selectors++;
                String metric = selector.group(1);
                assertThat(EXPORTED).as("metric %s of %s is exported by serve", metric, expr).containsKey(metric);
                List<Map<String, String>> samples = EXPORTED.get(metric);
                samples.forEach(l -> labelsOfMetrics.addAll(l.keySet()));
                Matcher m = MATCHER.matcher(selector.group(2));
                while (m.find()) {
                    String label = m.group(1);
                    String value = m.group(3);
                    if (SCRAPE_LABELS.contains(label)) {
                        // set by Prometheus when it scrapes, so never exported: matched against a dashboard variable only
                        assertThat(value).as("label %s, which Prometheus sets, in %s matches a variable", label, expr).startsWith("$");
                        continue;
                    }
                    assertThat(samples).as("label %s of %s in %s", label, metric, expr).anyMatch(l -> l.containsKey(label));
                    if (m.group(2).equals("=") && !value.contains("$")) {
                        assertThat(samples).as("a sample of %s with %s=\"%s\" (%s)", metric, label, value, expr)
                                .anyMatch(l -> value.equals(l.get(label)));
                    }
                }
            }
            assertThat(selectors).as("metrics in %s", expr).isPositive();
            Matcher grouping = GROUPING.matcher(expr);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    if (!label.isBlank() && !SCRAPE_LABELS.contains(label.trim())) {   // added by Prometheus when it scrapes
                        assertThat(labelsOfMetrics).as("label %s grouped by in %s", label.trim(), expr).contains(label.trim());
                    }
                }
            }
        }
    }

    @Test
    void coversThroughputLatencyLagBackpressureErrorsRestartsAndHealth() throws IOException {
        Set<String> used = new HashSet<>();
        for (String expr : expressions()) {
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                used.add(selector.group(1));
            }
        }
        assertThat(used).contains("qt_streams_node_records_in_total", "qt_streams_node_records_out_total",
                "qt_streams_task_commit_seconds", "qt_streams_consumer_lag", "qt_streams_consumer_pending",
                "qt_streams_consumer_oldest_pending_age_seconds", "qt_streams_backpressure_demand",
                "qt_streams_backpressure_read_ahead", "qt_streams_backpressure_no_demand_seconds_total",
                "qt_streams_deadlettered_total", "qt_streams_input_deleted_unread_total", "qt_streams_ingest_rejected_total", "qt_streams_records_dropped_total", "qt_streams_node_records_counted_total", "qt_streams_consumer_groups_recreated_total", "qt_streams_late_records_dropped_total", "qt_streams_task_restarts_total",
                "qt_streams_health", "qt_streams_state");
    }

    /**
     * No exported metric carries a label that Prometheus sets on every sample of a scraped target ({@code job},
     * {@code instance}; with Kubernetes service discovery, as the ServiceMonitor of k8s/components/monitoring,
     * {@code namespace}, {@code service}, {@code pod}, {@code container}, {@code endpoint}): Prometheus keeps its own
     * and renames the exported one {@code exported_<name>}, so a dashboard, alert or runbook query on it matches nothing.
     * Found in review (2026-12-06): {@code qt.streams.job.failures} was tagged {@code job}, and
     * {@code qt_streams_job_failures_total{job="lag.refresh"}} (the lag panel's description, docs/OPERATIONS.md "Meters")
     * found no series in Prometheus, where {@code job} is the scrape job.
     */
    @Test
    void noMetricHasALabelPrometheusSetsOnEveryScrapedTarget() {
        List<String> clashes = new ArrayList<>();
        EXPORTED.forEach((metric, samples) -> samples.forEach(l -> l.keySet().stream().filter(SCRAPE_LABELS::contains)
                .forEach(label -> clashes.add(metric + "{" + label + "}"))));
        assertThat(clashes.stream().distinct().toList()).as("exported labels Prometheus renames exported_<label>").isEmpty();
    }

    /**
     * Every query is of one Kubernetes namespace, the dashboard's {@code namespace} variable: two deployments of the
     * project in one cluster (the dev and prod overlays' namespaces scraped by one Prometheus) were summed together, as
     * every series of an application in any namespace matched (found in review, 2026-12-06). The variable lists the
     * {@code namespace} label the Prometheus Operator's scrape of the ServiceMonitor sets; the application variable
     * lists the applications of the chosen namespace; every selector of every panel's query matches
     * {@code namespace="$namespace"}.
     */
    @Test
    void everyQueryIsOfTheNamespaceTheDashboardShows() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.path("type").asString().equals("query")) {
                JsonNode q = v.path("query");
                variables.put(v.path("name").asString(), q.isObject() ? q.path("query").asString() : q.asString());
            }
        });
        assertThat(variables).containsKey("namespace");
        assertThat(new ArrayList<>(variables.keySet()).indexOf("namespace")).as("the namespace variable comes first: the others depend on it")
                .isZero();
        Matcher namespaces = LABEL_VALUES.matcher(variables.get("namespace"));
        assertThat(namespaces.matches()).as("namespace variable query %s", variables.get("namespace")).isTrue();
        assertThat(namespaces.group(3)).as("the label of the Kubernetes namespace the scrape sets").isEqualTo("namespace");
        assertThat(EXPORTED).as("metric of %s", variables.get("namespace")).containsKey(namespaces.group(1));
        variables.forEach((name, query) -> {
            if (!name.equals("namespace")) {
                Matcher values = LABEL_VALUES.matcher(query);
                assertThat(values.matches() && values.group(2) != null && values.group(2).contains(NAMESPACE_FILTER))
                        .as("variable %s (%s) lists the values of the chosen namespace", name, query).isTrue();
            }
        });
        List<String> panelQueries = new ArrayList<>();
        collect(dashboard.path("panels"), panelQueries);
        assertThat(panelQueries).hasSizeGreaterThan(20);
        for (String expr : panelQueries) {
            Matcher selector = SELECTOR.matcher(expr);
            int selectors = 0;
            while (selector.find()) {
                selectors++;
                assertThat(selector.group(2)).as("selector %s of %s filters by the namespace variable", selector.group(), expr)
                        .contains(NAMESPACE_FILTER);
            }
            assertThat(selectors).as("selectors in %s", expr).isPositive();
        }
    }

    /**
     * The health stat names every value of {@code qt.streams.health}: -1 (not known: the last check failed or took
     * over 10 s, as through a Redis outage) showed as a bare red "-1", which reads as a number, not as "unknown".
     */
    @Test
    void theHealthStatNamesEveryValueOfTheHealthMeter() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        List<JsonNode> stats = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> {
            if (t.path("expr").asString().contains("qt_streams_health{")) {
                stats.add(p);
            }
        }));
        assertThat(stats).hasSize(1);
        Set<String> named = new HashSet<>();
        stats.get(0).path("fieldConfig").path("defaults").path("mappings")
                .forEach(m -> m.path("options").propertyNames().forEach(named::add));
        assertThat(named).containsExactlyInAnyOrder("2", "1", "0", String.valueOf(io.quantumtrader.app.HealthMeter.UNKNOWN));
    }

    /** @return every PromQL expression of the dashboard: panel targets (rows included) and template queries */
    static List<String> expressions() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        collect(dashboard.path("panels"), exprs);
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.path("type").asString().equals("query")) {
                JsonNode q = v.path("query");
                exprs.add(q.isObject() ? q.path("query").asString() : q.asString());
            }
        });
        return exprs;
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        panels.forEach(p -> {
            p.path("targets").forEach(t -> exprs.add(t.path("expr").asString()));
            collect(p.path("panels"), exprs);
        });
    }

    private static double sample(String metrics, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return r.body();
    }
}
