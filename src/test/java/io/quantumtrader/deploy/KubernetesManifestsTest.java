package io.quantumtrader.deploy;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code kubectl apply -k k8s/overlays/<dev|prod>} would be told, checked on the kustomize rendering (kubectl on
 * PATH): no unknown fields (Kubernetes' own Java models reject them); what an API server checks (DNS-1123 names,
 * selectors matching template labels); every reference resolving after kustomize's renaming (secrets, config maps,
 * KEDA's TriggerAuthentication and scale target, the ServiceMonitor's service and port); the restricted Pod Security
 * Standard the namespaces enforce; KEDA's replica bounds from the stream catalog and a fully qualified Redis address;
 * Redis' maxmemory below its memory limit; disruption budgets that let a node drain. Types, required fields and enums
 * (including KEDA's and the Prometheus Operator's) are checked by k8s/validate (npm kubernetes-models) in CI.
 */
class KubernetesManifestsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> OVERLAYS = List.of("dev", "prod", "redis-cluster");
    /** Secrets an overlay expects in the cluster rather than rendering them (kept out of git; its kustomization says how to create them). */
    static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of("dev", Set.of(), "prod", Set.of("quantum-trader-redis-auth"),
            "redis-cluster", Set.of("quantum-trader-redis-auth", "quantum-trader-redis-tls"));
    static final Map<String, List<JsonNode>> RENDERED = new LinkedHashMap<>();

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        for (String overlay : OVERLAYS) {
            RENDERED.put(overlay, kustomize("k8s/overlays/" + overlay));
        }
    }

    /**
     * {@code kubectl apply -k k8s/} (the repository's Kubernetes directory itself) deploys the dev overlay, the one that
     * needs nothing created beforehand. Found in review (2026-12-06): k8s/ had no kustomization.yaml, and
     * {@code kubectl apply -k k8s/} failed ("unable to find one of 'kustomization.yaml' ... in directory k8s").
     */
    @Test
    void applyingTheK8sDirectoryItselfDeploysTheDevOverlay() throws IOException, InterruptedException {
        assertThat(kustomize("k8s")).isEqualTo(RENDERED.get("dev"));
    }

    /** @return the objects {@code kubectl kustomize <dir>} renders (fails the test when it fails) */
    private static List<JsonNode> kustomize(String dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("kubectl kustomize %s failed:\n%s", dir, out).isZero();
        List<JsonNode> objects = new ArrayList<>();
        new YAMLMapper().readValues(new YAMLMapper().createParser(out), JsonNode.class).forEachRemaining(n -> {
            if (n != null && !n.isNull() && !n.isEmpty()) {
                objects.add(n);
            }
        });
        return objects;
    }

    /**
     * Found in review (2026-12-07, HTTP surface): Redis had a NetworkPolicy, the service's own port none: every pod of
     * every namespace could read {@code /actuator/health}'s details and {@code /topology}. A policy selects the service's
     * pods and admits port 8080 from the namespace itself and the monitoring namespace only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void aNetworkPolicyLimitsWhoReachesTheServicesHttpPort(String overlay) {
        JsonNode deployment = of(overlay, "Deployment").stream()
                .filter(d -> d.path("metadata").path("name").asString().equals("quantum-trader")).findFirst().orElseThrow();
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        List<JsonNode> policies = of(overlay, "NetworkPolicy").stream().filter(o -> {
            JsonNode selector = o.path("spec").path("podSelector").path("matchLabels");
            List<String> names = new ArrayList<>();
            selector.propertyNames().forEach(names::add);
            return !names.isEmpty() && names.stream().allMatch(k -> selector.path(k).asString().equals(podLabels.path(k).asString()));
        }).toList();
        assertThat(policies).as("NetworkPolicies selecting the service's pods in overlay %s", overlay).hasSize(1);
        JsonNode ingress = policies.get(0).path("spec").path("ingress");
        assertThat(ingress).hasSize(1);
        assertThat(ingress.get(0).path("ports").get(0).path("port").asInt()).as("the HTTP port").isEqualTo(8080);
        List<String> from = new ArrayList<>();
        ingress.get(0).path("from").forEach(f -> from.add(f.toString()));
        assertThat(from).as("the namespace itself and the monitoring namespace").containsExactlyInAnyOrder(
                "{\"podSelector\":{}}", "{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"monitoring\"}}}");
    }

    @Test
    void devRunsItsOwnRedisAndProdAnExternalOneWithMonitoring() {
        assertThat(kinds("dev")).containsExactlyInAnyOrder("Namespace", "ConfigMap", "Secret", "Service", "Deployment",
                "StatefulSet", "PodDisruptionBudget", "ScaledObject", "TriggerAuthentication", "NetworkPolicy");
        assertThat(kinds("prod")).containsExactlyInAnyOrder("Namespace", "ConfigMap", "Service", "Deployment",
                "PodDisruptionBudget", "ScaledObject", "TriggerAuthentication", "ServiceMonitor", "NetworkPolicy");
        for (String overlay : OVERLAYS) {
            assertThat(RENDERED.get(overlay)).allSatisfy(o -> assertThat(o.path("metadata").path("labels")
                    .path("app.kubernetes.io/part-of").asString()).as("part-of label of %s", id(o)).isEqualTo("quantum-trader"));
        }
    }

    /**
     * Both production overlays (an external Redis, or an external Redis Cluster) run with production resources and
     * monitoring. Found in review (2026-12-06): redis-cluster, "prod against an external Redis Cluster" in
     * docs/OPERATIONS.md, had neither: no ServiceMonitor or dashboard (nothing scraped by a Prometheus Operator) and the
     * base's 512Mi request / 1Gi limit (a 768 MiB heap, and a JVM under 1792 MB of memory picks the serial collector).
     */
    @ParameterizedTest
    @ValueSource(strings = {"prod", "redis-cluster"})
    void productionOverlaysHaveProductionResourcesAndMonitoring(String overlay) {
        assertThat(kinds(overlay)).as("%s kinds", overlay).contains("ServiceMonitor");
        assertThat(of(overlay, "ConfigMap")).as("%s Grafana dashboard", overlay)
                .anyMatch(c -> labels(c.path("metadata").path("labels")).containsKey("grafana_dashboard"));
        JsonNode resources = containers(of(overlay, "Deployment").get(0).path("spec").path("template").path("spec")).get(0)
                .path("resources");
        BigDecimal limit = new Quantity(resources.path("limits").path("memory").asString()).getNumber();
        assertThat(limit).as("%s memory limit", overlay).isGreaterThanOrEqualTo(BigDecimal.valueOf(2L << 30));
        assertThat(new Quantity(resources.path("requests").path("memory").asString()).getNumber())
                .as("%s memory request = limit", overlay).isEqualTo(limit);
    }

    /**
     * The startup probe leaves the service the time its own start-up waits take, so that a Redis not there yet ends in
     * the service's error naming the cause, not in a restart by the kubelet. Found in review (2026-12-07): 120 s
     * against the wait for Redis at start (60 s) plus the runtime's start-up retry (2 min), before the JVM's own start.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void theStartupProbeOutlastsTheServicesOwnStartUpWaits(String overlay) {
        JsonNode probe = containers(of(overlay, "Deployment").get(0).path("spec").path("template").path("spec")).get(0)
                .path("startupProbe");
        long window = probe.path("periodSeconds").asLong(10) * probe.path("failureThreshold").asLong(3);
        long waits = java.time.Duration.ofSeconds(60).toSeconds()   // quantum-trader.redis-start-wait's default
                + io.quantumtrader.streams.runtime.StartupRetry.defaults().limit().toSeconds();
        assertThat(window).as("%s startup probe window, s", overlay).isGreaterThanOrEqualTo(waits + 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void coreObjectsHaveNoUnknownFields(String overlay) {
        for (JsonNode o : RENDERED.get(overlay)) {
            String json = JSON.writeValueAsString(o);
            try {
                switch (o.path("kind").asString()) {
                    case "Namespace" -> V1Namespace.fromJson(json);
                    case "Deployment" -> V1Deployment.fromJson(json);
                    case "StatefulSet" -> V1StatefulSet.fromJson(json);
                    case "Service" -> V1Service.fromJson(json);
                    case "ConfigMap" -> V1ConfigMap.fromJson(json);
                    case "Secret" -> V1Secret.fromJson(json);
                    case "PodDisruptionBudget" -> V1PodDisruptionBudget.fromJson(json);
                    case "NetworkPolicy" -> V1NetworkPolicy.fromJson(json);
                    default -> {
                        // KEDA and Prometheus Operator objects: schema-checked by k8s/validate
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new AssertionError(overlay + ": " + id(o) + ": " + e.getMessage(), e);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void namesAreDns1123AndEverythingIsInTheOverlaysNamespace(String overlay) {
        String namespace = namespace(overlay);
        for (JsonNode o : RENDERED.get(overlay)) {
            String name = o.path("metadata").path("name").asString();
            assertThat(name).as("name of %s", id(o)).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
            if (!o.path("kind").asString().equals("Namespace")) {
                assertThat(o.path("metadata").path("namespace").asString()).as("namespace of %s", id(o)).isEqualTo(namespace);
            }
            if (Set.of("Deployment", "StatefulSet").contains(o.path("kind").asString())) {
                Map<String, String> selector = labels(o.path("spec").path("selector").path("matchLabels"));
                Map<String, String> template = labels(o.path("spec").path("template").path("metadata").path("labels"));
                assertThat(selector).as("%s selector", name).isNotEmpty();
                assertThat(template).as("%s template labels", name).containsAllEntriesOf(selector);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void servicesBudgetsPoliciesAndMonitorsSelectWhatExists(String overlay) {
        List<Map<String, String>> podLabels = workloads(overlay).stream()
                .map(w -> labels(w.path("spec").path("template").path("metadata").path("labels"))).toList();
        for (JsonNode o : RENDERED.get(overlay)) {
            JsonNode selector = switch (o.path("kind").asString()) {
                case "Service" -> o.path("spec").path("selector");
                case "PodDisruptionBudget" -> o.path("spec").path("selector").path("matchLabels");
                case "NetworkPolicy" -> o.path("spec").path("podSelector").path("matchLabels");
                default -> null;
            };
            if (selector != null) {
                Map<String, String> s = labels(selector);
                assertThat(podLabels).as("pods selected by %s", id(o)).anyMatch(l -> l.entrySet().containsAll(s.entrySet()));
            }
            if (o.path("kind").asString().equals("ServiceMonitor")) {
                Map<String, String> s = labels(o.path("spec").path("selector").path("matchLabels"));
                List<JsonNode> services = of(overlay, "Service").stream()
                        .filter(svc -> labels(svc.path("metadata").path("labels")).entrySet().containsAll(s.entrySet())).toList();
                assertThat(services).as("services selected by %s", id(o)).isNotEmpty();
                o.path("spec").path("endpoints").forEach(e -> {
                    assertThat(services).as("port %s of %s", e.path("port").asString(), id(o)).allMatch(svc ->
                            StreamSupport.stream(svc.path("spec").path("ports").spliterator(), false)
                                    .anyMatch(p -> p.path("name").asString().equals(e.path("port").asString())));
                    assertThat(e.path("path").asString()).isEqualTo("/actuator/prometheus");
                });
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void everySecretConfigMapAndKedaReferenceResolvesAfterKustomize(String overlay) {
        Set<String> secrets = new HashSet<>(names(overlay, "Secret"));
        for (String external : EXTERNAL_SECRETS.get(overlay)) {
            assertThat(secrets).as("external secrets are not rendered").doesNotContain(external);
            assertThat(read("k8s/overlays/" + overlay + "/kustomization.yaml")).as("how to create %s", external)
                    .contains("create secret generic " + external);
        }
        secrets.addAll(EXTERNAL_SECRETS.get(overlay));
        Set<String> configMaps = names(overlay, "ConfigMap");
        List<String> references = new ArrayList<>();
        for (JsonNode w : workloads(overlay)) {
            JsonNode pod = w.path("spec").path("template").path("spec");
            pod.path("volumes").forEach(v -> {
                if (v.has("configMap")) {
                    references.add("ConfigMap " + v.path("configMap").path("name").asString());
                }
                if (v.has("secret")) {
                    references.add("Secret " + v.path("secret").path("secretName").asString());
                }
            });
            containers(pod).forEach(c -> {
                c.path("env").forEach(e -> {
                    JsonNode from = e.path("valueFrom");
                    if (from.has("secretKeyRef")) {
                        references.add("Secret " + from.path("secretKeyRef").path("name").asString());
                    }
                    if (from.has("configMapKeyRef")) {
                        references.add("ConfigMap " + from.path("configMapKeyRef").path("name").asString());
                    }
                });
                c.path("envFrom").forEach(e -> {
                    if (e.has("secretRef")) {
                        references.add("Secret " + e.path("secretRef").path("name").asString());
                    }
                    if (e.has("configMapRef")) {
                        references.add("ConfigMap " + e.path("configMapRef").path("name").asString());
                    }
                });
            });
            if (w.path("kind").asString().equals("StatefulSet")) {
                assertThat(names(overlay, "Service")).as("serviceName of %s", id(w)).contains(w.path("spec").path("serviceName").asString());
            }
        }
        for (JsonNode auth : of(overlay, "TriggerAuthentication")) {
            auth.path("spec").path("secretTargetRef").forEach(r -> references.add("Secret " + r.path("name").asString()));
        }
        for (JsonNode so : of(overlay, "ScaledObject")) {
            JsonNode target = so.path("spec").path("scaleTargetRef");
            references.add(target.path("kind").asString("Deployment") + " " + target.path("name").asString());
            so.path("spec").path("triggers").forEach(t -> {
                if (t.has("authenticationRef")) {
                    references.add("TriggerAuthentication " + t.path("authenticationRef").path("name").asString());
                }
            });
        }
        assertThat(references).as("references").isNotEmpty();
        Map<String, Set<String>> existing = Map.of("Secret", secrets, "ConfigMap", configMaps,
                "Deployment", names(overlay, "Deployment"), "TriggerAuthentication", names(overlay, "TriggerAuthentication"));
        assertThat(references).as("every reference names an object of the rendering").allSatisfy(r -> {
            String[] kindName = r.split(" ", 2);
            assertThat(existing.get(kindName[0])).as(r).contains(kindName[1]);
        });
    }

    /**
     * The service runs with the repository's risk rules, from its ConfigMap: found in review (2026-12-07), {@code serve}
     * ran on the built-in defaults whatever the file said, and the manifests carried no rules at all.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void theServiceReadsTheRepositorysRiskRulesFromItsConfigMap(String overlay) throws IOException {
        assertThat(of(overlay, "Deployment")).isNotEmpty();
        for (JsonNode deployment : of(overlay, "Deployment")) {
            assertThat(env(deployment, "QUANTUM_TRADER_RISK_RULES")).isEqualTo("/config/risk-rules.yaml");
        }
        String mounted = of(overlay, "ConfigMap").stream()
                .filter(c -> c.path("metadata").path("name").asString().startsWith("quantum-trader-config"))
                .map(c -> c.path("data").path("risk-rules.yaml").asString()).findFirst().orElseThrow();
        assertThat(mounted).as("k8s/base/config/risk-rules.yaml = config/risk-rules.yaml")
                .isEqualTo(Files.readString(Path.of("config/risk-rules.yaml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void kedaKeepsAStandbyScalesToTheTasksOnTheLagAndPendingEntriesOfEachAndReachesRedisByItsFullName(String overlay) throws IOException {
        StreamCatalog catalog = StreamCatalog.load(Path.of("topology/streams.yaml"));
        String keyNamespace = new YAMLMapper().readTree(Path.of("k8s/base/config/application.yml").toFile())
                .path("quantum-trader").path("namespace").asString();
        Set<String> scaled = new HashSet<>();
        for (JsonNode so : of(overlay, "ScaledObject")) {
            JsonNode spec = so.path("spec");
            // found in review (2026-12-05): with one replica a drain or a crash left stops unwatched for a pod's start
            assertThat(spec.path("minReplicaCount").asInt(-1)).as("minReplicaCount: stops are watched on every tick, "
                    + "and a standby takes the tasks of a pod that goes").isEqualTo(2);
            assertThat(scaled.add(spec.path("scaleTargetRef").path("name").asString())).as("one ScaledObject per workload").isTrue();
            JsonNode deployment = of(overlay, "Deployment").stream()
                    .filter(d -> d.path("metadata").path("name").asString().equals(spec.path("scaleTargetRef").path("name").asString()))
                    .findFirst().orElseThrow();
            // found in review (2026-12-05): with spec.replicas set, every `kubectl apply -k` reset KEDA's count
            assertThat(deployment.path("spec").has("replicas")).as("%s sets no replicas: KEDA owns the count", id(deployment))
                    .isFalse();
            String redisAddress = env(deployment, "REDIS_ADDRESS");
            Map<String, Set<Integer>> partitionsByStream = new HashMap<>();
            Map<String, String> groupByStream = new HashMap<>();
            // what each trigger measures, by stream key and group: "lag" or "pending", with its threshold
            Map<String, Map<String, String>> measuredByPartition = new HashMap<>();
            spec.path("triggers").forEach(t -> {
                assertThat(t.path("type").asString()).isIn("redis-streams", "redis-cluster-streams");
                JsonNode m = t.path("metadata");
                // KEDA's scaler measures the lag when lagCount is set (pendingEntriesCount is then ignored), else the
                // pending entries: one of them per trigger
                assertThat(m.has("lagCount") ^ m.has("pendingEntriesCount")).as("trigger on %s: lagCount or pendingEntriesCount, "
                        + "one of them (KEDA measures one per trigger)", m.path("stream").asString()).isTrue();
                String measure = m.has("lagCount") ? "lag" : "pending";
                String threshold = m.has("lagCount") ? m.path("lagCount").asString() : m.path("pendingEntriesCount").asString();
                assertThat(threshold).matches("\\d+");
                assertThat(measuredByPartition.computeIfAbsent(m.path("stream").asString() + " " + m.path("consumerGroup").asString(),
                        k -> new HashMap<>()).put(measure, threshold)).as("one %s trigger on %s", measure, m.path("stream").asString()).isNull();
                String address = t.path("type").asString().equals("redis-cluster-streams") ? m.path("addresses").asString()
                        : m.path("address").asString();
                assertThat(address).as("KEDA trigger address(es) = the service's REDIS_ADDRESS").isEqualTo(redisAddress);
                if (t.path("type").asString().equals("redis-cluster-streams")) {
                    assertThat(m.path("enableTLS").asString()).as("the cluster is reached over TLS, as the service does").isEqualTo("true");
                }
                for (String a : address.split(",")) {
                    assertFullyQualified(overlay, a);
                }
                Matcher key = Pattern.compile("(.+):\\{(.+)\\.(\\d+)}:s:(.+)").matcher(m.path("stream").asString());
                assertThat(key.matches()).as("stream key %s", m.path("stream").asString()).isTrue();
                assertThat(key.group(1)).as("key namespace (quantum-trader.namespace)").isEqualTo(keyNamespace);
                assertThat(key.group(2)).as("namespace in the hash tag").isEqualTo(keyNamespace);
                String stream = key.group(4);
                assertThat(m.path("stream").asString()).isEqualTo(new io.quantumtrader.streams.redis.StreamKeys(keyNamespace)
                        .stream(stream, Integer.parseInt(key.group(3))));
                partitionsByStream.computeIfAbsent(stream, s -> new HashSet<>()).add(Integer.parseInt(key.group(3)));
                List<String> groups = QuantumTraderTopology.build().taskSubtopologies().stream()
                        .filter(s -> s.sourceStreams().contains(stream))
                        .map(s -> QuantumTraderTopology.APPLICATION_ID + "." + s.id()).toList();
                assertThat(groups).as("consumer groups reading %s", stream).contains(m.path("consumerGroup").asString());
                groupByStream.put(stream, m.path("consumerGroup").asString());
            });
            // found in review (2026-12-06): the triggers measured the lag alone, entries not read yet, leaving out the
            // entries read and not acknowledged (pending: up to two batches of 2,000 per task, more under event-time
            // alignment). Now each partition has a lag trigger and a pending one, with one threshold
            measuredByPartition.forEach((partition, measured) -> {
                assertThat(measured.keySet()).as("triggers on %s", partition).containsExactlyInAnyOrder("lag", "pending");
                assertThat(measured.get("pending")).as("pendingEntriesCount = lagCount on %s: a pending entry counts as an unread one",
                        partition).isEqualTo(measured.get("lag"));
            });
            // found in review (2026-12-06): the triggers watched market.tick.price alone and maxReplicaCount was its
            // partitions (1, so 2 with the standby): the service never scaled past the standby although the assignor
            // spreads the tasks of every sub-topology over the pods. Now: every task's lag counts, up to a pod per task
            int tasks = 0;
            for (var sub : QuantumTraderTopology.build().taskSubtopologies()) {
                int partitions = catalog.spec(sub.sourceStreams().iterator().next()).partitions();
                tasks += partitions;
                String group = QuantumTraderTopology.APPLICATION_ID + "." + sub.id();
                // found in review (2026-12-07): only one input of each sub-topology had triggers, so a backlog of the
                // portfolio's signals or regimes (its ticks' input had them) never counted. Now every input stream of
                // every task sub-topology, each partition
                for (String input : sub.sourceStreams()) {
                    assertThat(partitionsByStream).as("triggers on %s, an input of sub-topology %d", input, sub.id()).containsKey(input);
                    assertThat(groupByStream.get(input)).as("consumer group of the triggers on %s", input).isEqualTo(group);
                    assertThat(partitionsByStream.get(input)).as("one trigger per partition of %s, so the lag of every task counts", input)
                            .isEqualTo(IntStream.range(0, catalog.spec(input).partitions()).boxed().collect(Collectors.toSet()));
                }
            }
            assertThat(spec.path("maxReplicaCount").asInt()).as("maxReplicaCount = the topology's tasks (topology/streams.yaml), at least 2")
                    .isEqualTo(Math.max(2, tasks));
        }
        assertThat(scaled).isNotEmpty();
        for (JsonNode o : RENDERED.get(overlay)) {
            if (o.path("kind").asString().equals("HorizontalPodAutoscaler")) {
                assertThat(scaled).as("HPA and ScaledObject on one workload").doesNotContain(o.path("spec").path("scaleTargetRef").path("name").asString());
            }
        }
    }

    /**
     * KEDA scales on one composed metric, the sum of every trigger's count (each partition's lag and pending entries,
     * summed per stream, then over the streams), divided by one target per pod. Without {@code scalingModifiers} the
     * HPA KEDA drives takes the largest replica count any single trigger asks for (Kubernetes' rule for several
     * metrics), so six partitions with 900 unread entries each, or a partition with 900 unread and 900 pending, asked
     * for no pod more than the standby: found in review (2026-12-06). KEDA's {@code advanced.scalingModifiers}
     * (keda.sh/docs/2.17/reference/scaledobject-spec, "scalingModifiers"; since KEDA 2.12) replaces the triggers' metrics with
     * its formula's value for the HPA, the formula reading each trigger's metric by the trigger's {@code name}.
     * Checked here: every trigger is named, the formula is a sum of parenthesized per-stream groups naming every
     * trigger exactly once (a trigger left out would not count, one named twice would count double), no trigger name
     * starts another's (KEDA releases whose pkg/scaling/modifiers/formula.go pairs metrics in AddPairTriggerAndMetric
     * give the shorter name's metric a number suffix, and the formula would not find it), and the target is the
     * per-trigger threshold, per pod ({@code AverageValue}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void kedaScalesOnTheSumOfEveryPartitionsLagAndPendingEntries(String overlay) {
        for (JsonNode so : of(overlay, "ScaledObject")) {
            Map<String, String> streamByTrigger = new LinkedHashMap<>();
            Set<String> thresholds = new HashSet<>();
            so.path("spec").path("triggers").forEach(t -> {
                String name = t.path("name").asString("");
                assertThat(name).as("name of the trigger on %s (the formula reads its metric by it)",
                        t.path("metadata").path("stream").asString()).matches("[a-z_][a-z0-9_]*");
                assertThat(streamByTrigger.put(name, t.path("metadata").path("stream").asString())).as("trigger name %s used once", name).isNull();
                JsonNode m = t.path("metadata");
                thresholds.add(m.has("lagCount") ? m.path("lagCount").asString() : m.path("pendingEntriesCount").asString());
            });
            assertThat(streamByTrigger).as("triggers of %s", id(so)).isNotEmpty();
            streamByTrigger.keySet().forEach(a -> streamByTrigger.keySet().forEach(b -> assertThat(!a.equals(b) && b.startsWith(a))
                    .as("trigger name %s starts %s (some KEDA releases then rename the metric of %s)", a, b, a).isFalse()));
            JsonNode modifiers = so.path("spec").path("advanced").path("scalingModifiers");
            assertThat(modifiers.isObject()).as("%s: spec.advanced.scalingModifiers (without it the HPA takes the largest "
                    + "count of any one trigger)", id(so)).isTrue();
            String formula = modifiers.path("formula").asString("");
            Matcher group = Pattern.compile("\\(([^()]*)\\)").matcher(formula);
            List<String> named = new ArrayList<>();
            Set<String> groupedStreams = new HashSet<>();
            while (group.find()) {
                List<String> terms = List.of(group.group(1).trim().split("\\s*\\+\\s*"));
                named.addAll(terms);
                Set<String> streams = terms.stream().map(term -> streamByTrigger.getOrDefault(term, "unknown trigger " + term))
                        .collect(Collectors.toSet());
                assertThat(streams).as("one stream per parenthesized group of the formula: %s", group.group()).hasSize(1);
                assertThat(groupedStreams.add(streams.iterator().next())).as("one group per stream: %s", group.group()).isTrue();
            }
            assertThat(group.replaceAll("").replaceAll("[\\s+]", "")).as("%s: the formula is a sum of (a + b + ...) groups: %s",
                    id(so), formula).isEmpty();
            assertThat(named).as("%s: the formula names every trigger exactly once", id(so))
                    .containsExactlyInAnyOrderElementsOf(streamByTrigger.keySet());
            assertThat(thresholds).as("%s: one threshold over the triggers", id(so)).hasSize(1);
            assertThat(modifiers.path("target").asString()).as("%s: scalingModifiers.target = the triggers' threshold, per pod", id(so))
                    .isEqualTo(thresholds.iterator().next());
            assertThat(modifiers.path("metricType").asString("AverageValue")).as("%s: the composed metric is divided by the pods",
                    id(so)).isEqualTo("AverageValue");
        }
    }

    /**
     * k8s/validate (what CI runs on the renderings) passes the three overlays and refuses the scalingModifiers KEDA
     * would refuse: the KEDA schema of {@code @kubernetes-models/keda@0.4.2} predates scalingModifiers and let any field
     * through under {@code advanced}, so a formula naming no trigger, a target of 0 or a misspelt field passed
     * (keda-scaling-modifiers.mjs checks them now). Runs where {@code npm ci} has been run in k8s/validate (CI does);
     * skipped elsewhere.
     */
    @Test
    void schemaValidationPassesTheOverlaysAndRefusesScalingModifiersKedaWouldRefuse(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException, InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("k8s/validate/node_modules/@kubernetes-models/keda")),
                "npm ci in k8s/validate first");
        List<String> renderings = new ArrayList<>();
        for (String overlay : OVERLAYS) {
            renderings.add(writeYaml(dir.resolve(overlay + ".yaml"), RENDERED.get(overlay)).toString());
        }
        assertThat(validate(renderings)).as("k8s/validate on the renderings").startsWith("exit 0");
        List<JsonNode> broken = RENDERED.get("dev").stream().map(JsonNode::deepCopy).toList();
        tools.jackson.databind.node.ObjectNode modifiers = (tools.jackson.databind.node.ObjectNode) broken.stream()
                .filter(o -> o.path("kind").asString().equals("ScaledObject")).findFirst().orElseThrow()
                .path("spec").path("advanced").path("scalingModifiers");
        assertThat(modifiers.path("formula").asString()).contains("position_closed_p0_lag +");
        modifiers.put("formula", modifiers.path("formula").asString().replace("position_closed_p0_lag +", "position_closd_p0_lag +"));
        modifiers.put("target", "0");
        modifiers.set("metricTyp", modifiers.remove("metricType"));
        assertThat(validate(List.of(writeYaml(dir.resolve("broken.yaml"), broken).toString()))).startsWith("exit 1")
                .contains("unknown name position_closd_p0_lag", "target: \"0\" is not a number in a string above 0",
                        "scalingModifiers.metricTyp: unknown field");
    }

    /** Writes the objects as one multi-document YAML file. @return the file */
    private static Path writeYaml(Path file, List<JsonNode> objects) throws IOException {
        StringBuilder yaml = new StringBuilder();
        objects.forEach(o -> yaml.append(new YAMLMapper().writeValueAsString(o))); // each document starts with ---
        return Files.writeString(file, yaml);
    }

    /** @return {@code exit <code>} and the output of {@code node validate.mjs <files>} in k8s/validate */
    private static String validate(List<String> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        command.addAll(files);
        Process p = new ProcessBuilder(command).directory(Path.of("k8s/validate").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return "exit " + p.waitFor() + "\n" + out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void podsMeetTheRestrictedPodSecurityStandardTheNamespaceEnforces(String overlay) {
        JsonNode ns = of(overlay, "Namespace").get(0);
        Map<String, String> nsLabels = labels(ns.path("metadata").path("labels"));
        assertThat(nsLabels).containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("pod-security.kubernetes.io/warn", "restricted")
                .containsEntry("pod-security.kubernetes.io/audit", "restricted");
        Set<String> allowedVolumes = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
                "projected", "secret", "name");
        for (JsonNode w : workloads(overlay)) {
            JsonNode pod = w.path("spec").path("template").path("spec");
            JsonNode podSc = pod.path("securityContext");
            String what = id(w);
            assertThat(pod.path("hostNetwork").asBoolean(false) || pod.path("hostPID").asBoolean(false) || pod.path("hostIPC").asBoolean(false))
                    .as("%s host namespaces", what).isFalse();
            pod.path("volumes").forEach(v -> assertThat(v.propertyNames()).as("%s volume types", what).isSubsetOf(allowedVolumes));
            assertThat(podSc.path("seccompProfile").path("type").asString()).as("%s pod seccompProfile", what).isEqualTo("RuntimeDefault");
            assertThat(podSc.path("runAsNonRoot").asBoolean(false)).as("%s pod runAsNonRoot", what).isTrue();
            assertThat(podSc.path("runAsUser").asLong(1)).as("%s pod runAsUser", what).isNotZero();
            assertThat(podSc.path("sysctls").isMissingNode() || podSc.path("sysctls").isEmpty()).as("%s sysctls", what).isTrue();
            containers(pod).forEach(c -> {
                String container = what + " container " + c.path("name").asString();
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("privileged").asBoolean(false)).as("%s privileged", container).isFalse();
                assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean())
                        .as("%s allowPrivilegeEscalation: false", container).isTrue();
                assertThat(strings(sc.path("capabilities").path("drop"))).as("%s drops ALL capabilities", container).contains("ALL");
                assertThat(strings(sc.path("capabilities").path("add"))).as("%s adds capabilities", container).isSubsetOf("NET_BIND_SERVICE");
                assertThat(sc.path("runAsNonRoot").asBoolean(true)).as("%s runAsNonRoot", container).isTrue();
                assertThat(sc.path("runAsUser").asLong(1)).as("%s runAsUser", container).isNotZero();
                assertThat(sc.path("seccompProfile").path("type").asString("RuntimeDefault")).as("%s seccompProfile", container).isEqualTo("RuntimeDefault");
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean(false)).as("%s readOnlyRootFilesystem", container).isTrue();
                c.path("ports").forEach(p -> assertThat(p.has("hostPort")).as("%s hostPort", container).isFalse());
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void redisRefusesWritesBelowItsLimitAndDisruptionBudgetsLetNodesDrain(String overlay) {
        for (JsonNode w : workloads(overlay)) {
            for (JsonNode c : containers(w.path("spec").path("template").path("spec"))) {
                if (c.path("image").asString().startsWith("redis:")) {
                    List<String> args = strings(c.path("args"));
                    assertThat(args).as("redis args").contains("--maxmemory", "--maxmemory-policy");
                    BigDecimal maxmemory = redisBytes(args.get(args.indexOf("--maxmemory") + 1));
                    BigDecimal limit = new Quantity(c.path("resources").path("limits").path("memory").asString()).getNumber();
                    assertThat(maxmemory).as("maxmemory below the memory limit %s", limit).isLessThan(limit);
                    assertThat(args.get(args.indexOf("--maxmemory-policy") + 1)).isEqualTo("noeviction");
                }
            }
        }
        for (JsonNode pdb : of(overlay, "PodDisruptionBudget")) {
            Map<String, String> s = labels(pdb.path("spec").path("selector").path("matchLabels"));
            int replicas = workloads(overlay).stream()
                    .filter(w -> labels(w.path("spec").path("template").path("metadata").path("labels")).entrySet().containsAll(s.entrySet()))
                    .mapToInt(w -> w.path("spec").path("replicas").asInt(1)).sum();
            JsonNode spec = pdb.path("spec");
            int disruptionsAllowed = spec.has("maxUnavailable") ? intOrPercent(spec.path("maxUnavailable"), replicas, false)
                    : replicas - intOrPercent(spec.path("minAvailable"), replicas, true);
            assertThat(disruptionsAllowed).as("%s allows evicting one of %d pods (a node drain)", id(pdb), replicas).isPositive();
            if (s.getOrDefault("app.kubernetes.io/component", "").equals("streams")) {
                // a pod whose runtime is in ERROR stays NotReady; under the default policy it spent the budget and no
                // drain of its node could evict it (found in review, 2026-12-05)
                assertThat(spec.path("unhealthyPodEvictionPolicy").asString()).as("%s lets a drain evict a pod that is not Ready",
                        id(pdb)).isEqualTo("AlwaysAllow");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void theServiceRunsTheImageTagThePomBuilds(String overlay) {
        JsonNode deployment = of(overlay, "Deployment").get(0);
        String image = containers(deployment.path("spec").path("template").path("spec")).get(0).path("image").asString();
        assertThat(image).as("image").matches("([a-z0-9.-]+/)*quantum-trader-streams:" + Pattern.quote(PomProperties.get("image.tag")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void environmentVariablesUseOnlyVariablesDefinedBeforeThem(String overlay) {
        for (JsonNode w : workloads(overlay)) {
            for (JsonNode c : containers(w.path("spec").path("template").path("spec"))) {
                Set<String> defined = new HashSet<>();
                c.path("env").forEach(e -> {
                    Matcher ref = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)").matcher(e.path("value").asString(""));
                    while (ref.find()) {
                        assertThat(defined).as("%s: %s uses $(%s), which Kubernetes expands only when defined before it",
                                id(w), e.path("name").asString(), ref.group(1)).contains(ref.group(1));
                    }
                    defined.add(e.path("name").asString());
                });
            }
        }
    }

    @Test
    void theRedisClusterOverlayConnectsToTheClusterOverTlsAndWaitsForAReplica() {
        JsonNode deployment = of("redis-cluster", "Deployment").get(0);
        Map<String, String> env = new HashMap<>();
        containers(deployment.path("spec").path("template").path("spec")).get(0).path("env").forEach(e -> {
            String value = e.path("value").asString("");
            Matcher ref = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)").matcher(value);
            StringBuilder resolved = new StringBuilder();
            while (ref.find()) {
                ref.appendReplacement(resolved, Matcher.quoteReplacement(env.getOrDefault(ref.group(1), "")));
            }
            ref.appendTail(resolved);
            env.put(e.path("name").asString(), e.path("valueFrom").has("secretKeyRef") ? "s3cret-from-the-secret" : resolved.toString());
        });
        assertThat(env.get("REDIS_URL")).as("no password in the URL: REDIS_PASSWORD is read as it is").startsWith("rediss://")
                .doesNotContain("@");
        assertThat(env).containsEntry("REDIS_PASSWORD", "s3cret-from-the-secret");
        assertThat(env).containsEntry("QUANTUM_TRADER_COMMIT_WAIT_REPLICAS", "1");
        String ca = env.get("REDIS_TLS_CA_FILE");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        String volume = StreamSupport.stream(containers(pod).get(0).path("volumeMounts").spliterator(), false)
                .filter(m -> ca.startsWith(m.path("mountPath").asString() + "/")).map(m -> m.path("name").asString())
                .findFirst().orElseThrow(() -> new AssertionError("REDIS_TLS_CA_FILE " + ca + " is not on a mounted volume"));
        assertThat(StreamSupport.stream(pod.path("volumes").spliterator(), false).filter(v -> v.path("name").asString().equals(volume))
                .findFirst().orElseThrow().path("secret").path("secretName").asString()).isEqualTo("quantum-trader-redis-tls");
        env.remove("REDIS_TLS_CA_FILE"); // a path in the pod, not on this machine
        io.quantumtrader.app.RedisTarget target = io.quantumtrader.app.RedisTarget.fromEnvironment(env);
        assertThat(target.cluster()).isTrue();
        assertThat(target.nodes()).hasSize(3);
        assertThat(target.tls().enabled()).isTrue();
        assertThat(target.password()).isEqualTo("s3cret-from-the-secret");
        assertThat(io.quantumtrader.app.CommitDurabilitySettings.fromEnvironment(env).waitReplicas()).isEqualTo(1);
        assertThat(kinds("redis-cluster")).as("no Redis of its own").doesNotContain("StatefulSet");
        JsonNode auth = of("redis-cluster", "TriggerAuthentication").get(0);
        assertThat(StreamSupport.stream(auth.path("spec").path("secretTargetRef").spliterator(), false)
                .map(r -> r.path("parameter").asString()).toList()).contains("password", "ca");
    }

    /**
     * Redis' NetworkPolicy admits KEDA's operator from KEDA's namespace, which the dev overlay's kustomization.yaml sets
     * in one place: changed there (to {@code openshift-keda} in a copy of k8s/), the rendered policy admits that
     * namespace and no other; the component's placeholder never reaches the rendering. Found in review (2026-12-06):
     * the namespace {@code keda} was written in the component and documented nowhere, so a cluster with KEDA elsewhere
     * had its triggers blocked by the policy.
     */
    @Test
    void redisAdmitsKedaFromTheNamespaceTheDevOverlaySetsInOnePlace(@org.junit.jupiter.api.io.TempDir Path copy)
            throws IOException, InterruptedException {
        assertThat(kedaNamespacesAdmitted(RENDERED.get("dev"))).containsExactly("keda");
        copyTree(Path.of("k8s"), copy.resolve("k8s"));
        Path dev = copy.resolve("k8s/overlays/dev/kustomization.yaml");
        Matcher setting = Pattern.compile("(?m)^(\\s+value: )keda$").matcher(Files.readString(dev));
        assertThat(setting.results().count()).as("one line of %s sets KEDA's namespace (value: keda)", dev).isEqualTo(1);
        Files.writeString(dev, setting.replaceAll("$1openshift-keda"));
        assertThat(kedaNamespacesAdmitted(kustomize(copy.resolve("k8s/overlays/dev").toString()))).containsExactly("openshift-keda");
    }

    /**
     * KEDA reads the lag and pending entries in the database the service writes: every redis-streams trigger's
     * {@code databaseIndex} (KEDA's default 0 when absent) is the database of the service's {@code REDIS_URL} (resolved
     * from the pod's environment the way Kubernetes expands {@code $(VAR)}, parsed by the service's own
     * {@link io.quantumtrader.app.RedisTarget}); a Redis Cluster has database 0 only, and KEDA's redis-cluster-streams
     * scaler has no {@code databaseIndex}. Found in review (2026-12-06): the triggers set no databaseIndex, so a
     * deployment whose REDIS_URL named /3 scaled on database 0's streams, which hold nothing (no scaling at all).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "redis-cluster"})
    void kedaTriggersReadTheDatabaseTheServiceUses(String overlay) {
        assertTriggersReadTheServicesDatabase(overlay, RENDERED.get(overlay));
    }

    /**
     * The database is set in one place, the Deployment's {@code REDIS_DATABASE}: set to 3 in a copy of the prod
     * overlay (its redis-address.yaml patch), the rendering's REDIS_URL names database 3 and so does every trigger.
     */
    @Test
    void theDatabaseSetInTheDeploymentReachesRedisUrlAndEveryTrigger(@org.junit.jupiter.api.io.TempDir Path copy)
            throws IOException, InterruptedException {
        copyTree(Path.of("k8s"), copy.resolve("k8s"));
        Path patch = copy.resolve("k8s/overlays/prod/redis-address.yaml");
        String address = Files.readString(patch);
        Matcher value = Pattern.compile("(?m)^(\\s+)- name: REDIS_ADDRESS\\n\\s+value: .*$").matcher(address);
        assertThat(value.find()).as("REDIS_ADDRESS in %s", patch).isTrue();
        Files.writeString(patch, address.substring(0, value.end()) + "\n" + value.group(1) + "- name: REDIS_DATABASE\n"
                + value.group(1) + "  value: \"3\"" + address.substring(value.end()));
        List<JsonNode> rendered = kustomize(copy.resolve("k8s/overlays/prod").toString());
        assertThat(assertTriggersReadTheServicesDatabase("prod", rendered)).isEqualTo(3);
    }

    /** Asserts every KEDA trigger reads the database of the Deployment's REDIS_URL. @return that database */
    private static int assertTriggersReadTheServicesDatabase(String overlay, List<JsonNode> rendered) {
        JsonNode deployment = rendered.stream().filter(o -> o.path("kind").asString().equals("Deployment")).findFirst().orElseThrow();
        Map<String, String> env = resolvedEnv(deployment);
        env.remove("REDIS_TLS_CA_FILE"); // a path in the pod, not on this machine
        io.quantumtrader.app.RedisTarget target = io.quantumtrader.app.RedisTarget.fromEnvironment(env);
        List<JsonNode> triggers = new ArrayList<>();
        rendered.stream().filter(o -> o.path("kind").asString().equals("ScaledObject"))
                .forEach(so -> so.path("spec").path("triggers").forEach(triggers::add));
        assertThat(triggers).as("%s: KEDA triggers", overlay).isNotEmpty();
        for (JsonNode t : triggers) {
            JsonNode m = t.path("metadata");
            if (t.path("type").asString().equals("redis-cluster-streams")) {
                assertThat(target.database()).as("%s: a Redis Cluster has database 0 only", overlay).isZero();
                assertThat(m.has("databaseIndex")).as("%s: KEDA's cluster scaler has no databaseIndex", overlay).isFalse();
            } else {
                assertThat(m.path("databaseIndex").asString("0")).as("%s: databaseIndex of the trigger on %s = the database of REDIS_URL %s",
                        overlay, m.path("stream").asString(), env.get("REDIS_URL")).isEqualTo(String.valueOf(target.database()));
            }
        }
        return target.database();
    }

    /** @return the first container's environment with {@code $(VAR)} expanded as Kubernetes does; secrets as a placeholder */
    private static Map<String, String> resolvedEnv(JsonNode workload) {
        Map<String, String> env = new LinkedHashMap<>();
        containers(workload.path("spec").path("template").path("spec")).get(0).path("env").forEach(e -> {
            Matcher ref = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)").matcher(e.path("value").asString(""));
            StringBuilder resolved = new StringBuilder();
            while (ref.find()) {
                ref.appendReplacement(resolved, Matcher.quoteReplacement(env.getOrDefault(ref.group(1), "$(" + ref.group(1) + ")")));
            }
            ref.appendTail(resolved);
            env.put(e.path("name").asString(), e.path("valueFrom").has("secretKeyRef") ? "s3cret-from-the-secret" : resolved.toString());
        });
        return env;
    }

    /** @return the namespaces whose pods (all of them) a NetworkPolicy of the rendering admits by namespace name */
    private static List<String> kedaNamespacesAdmitted(List<JsonNode> rendered) {
        List<String> namespaces = new ArrayList<>();
        rendered.stream().filter(o -> o.path("kind").asString().equals("NetworkPolicy"))
                .filter(o -> o.path("metadata").path("name").asString().equals("quantum-trader-redis")).forEach(np ->
                np.path("spec").path("ingress").forEach(rule -> rule.path("from").forEach(peer -> {
                    if (peer.has("namespaceSelector") && !peer.has("podSelector")) {
                        namespaces.add(peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asString());
                    }
                })));
        return namespaces;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.filter(f -> !f.toString().contains("node_modules")).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    @Test
    void prodProvisionsTheGrafanaDashboardFromTheRepository() throws IOException {
        JsonNode cm = of("prod", "ConfigMap").stream()
                .filter(c -> labels(c.path("metadata").path("labels")).containsKey("grafana_dashboard")).findFirst().orElseThrow();
        assertThat(labels(cm.path("metadata").path("labels"))).containsEntry("grafana_dashboard", "1");
        JsonNode committed = JSON.readTree(Path.of("k8s/components/monitoring/dashboards/quantum-trader-streams.json").toFile());
        assertThat(JSON.readTree(cm.path("data").path("quantum-trader-streams.json").asString())).isEqualTo(committed);
    }

    /** {@code <service>.<namespace>.svc.cluster.local:<port>}, or an external DNS name; an in-cluster one must exist here if it is in this namespace. */
    private static void assertFullyQualified(String overlay, String address) {
        Matcher inCluster = Pattern.compile("([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc\\.cluster\\.local:\\d+").matcher(address);
        if (inCluster.matches()) {
            if (inCluster.group(2).equals(namespace(overlay))) {
                assertThat(names(overlay, "Service")).as("service of %s", address).contains(inCluster.group(1));
            }
        } else {
            assertThat(address).as("fully qualified host:port").matches("[a-z0-9-]+(\\.[a-z0-9-]+)+:\\d+").doesNotContain(".svc:");
        }
    }

    private static BigDecimal redisBytes(String value) {
        Matcher m = Pattern.compile("(\\d+)(b|kb|mb|gb)?", Pattern.CASE_INSENSITIVE).matcher(value);
        assertThat(m.matches()).as("maxmemory %s", value).isTrue();
        long unit = switch (m.group(2) == null ? "b" : m.group(2).toLowerCase()) {
            case "kb" -> 1024L;
            case "mb" -> 1024L * 1024;
            case "gb" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return BigDecimal.valueOf(Long.parseLong(m.group(1)) * unit);
    }

    private static int intOrPercent(JsonNode v, int replicas, boolean roundUp) {
        if (v.isNumber()) {
            return v.asInt();
        }
        double share = Double.parseDouble(v.asString().replace("%", "")) / 100 * replicas;
        return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
    }

    private static String env(JsonNode workload, String name) {
        return containers(workload.path("spec").path("template").path("spec")).stream()
                .flatMap(c -> StreamSupport.stream(c.path("env").spliterator(), false))
                .filter(e -> e.path("name").asString().equals(name)).map(e -> e.path("value").asString())
                .findFirst().orElseThrow(() -> new AssertionError(id(workload) + " has no env " + name));
    }

    private static String namespace(String overlay) {
        return of(overlay, "Namespace").get(0).path("metadata").path("name").asString();
    }

    private static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> all = new ArrayList<>();
        Consumer<JsonNode> add = list -> list.forEach(all::add);
        add.accept(podSpec.path("initContainers"));
        add.accept(podSpec.path("containers"));
        return all;
    }

    private static List<JsonNode> workloads(String overlay) {
        return RENDERED.get(overlay).stream().filter(o -> Set.of("Deployment", "StatefulSet").contains(o.path("kind").asString())).toList();
    }

    private static List<JsonNode> of(String overlay, String kind) {
        return RENDERED.get(overlay).stream().filter(o -> o.path("kind").asString().equals(kind)).toList();
    }

    private static Set<String> names(String overlay, String kind) {
        return of(overlay, kind).stream().map(o -> o.path("metadata").path("name").asString()).collect(Collectors.toSet());
    }

    private static Set<String> kinds(String overlay) {
        return RENDERED.get(overlay).stream().map(o -> o.path("kind").asString()).collect(Collectors.toSet());
    }

    private static String id(JsonNode o) {
        return o.path("kind").asString() + " " + o.path("metadata").path("name").asString();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path, e);
        }
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> m = new HashMap<>();
        node.properties().forEach(e -> m.put(e.getKey(), e.getValue().asString()));
        return m;
    }
}
