package io.quantumtrader.deploy;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code kubectl apply -k k8s/} would be told: the kustomize rendering (kubectl on PATH) has no unknown fields
 * (Kubernetes' own Java models reject them) and passes the checks an API server makes: DNS-1123 names, selectors that
 * match template labels, references to objects that exist, no workload scaled by both an HPA and a ScaledObject.
 * Types, required fields and enums (including KEDA's) are checked by k8s/validate (npm kubernetes-models) in CI.
 */
class KubernetesManifestsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static List<JsonNode> objects;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", "k8s").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("kubectl kustomize k8s failed:\n%s", out).isZero();
        objects = new ArrayList<>();
        new YAMLMapper().readValues(new YAMLMapper().createParser(out), JsonNode.class).forEachRemaining(n -> {
            if (n != null && !n.isNull() && !n.isEmpty()) {
                objects.add(n);
            }
        });
    }

    @Test
    void rendersEveryObjectTheBaseNeeds() {
        assertThat(objects.stream().map(o -> o.path("kind").asString()).collect(Collectors.toSet())).containsExactlyInAnyOrder(
                "ConfigMap", "Secret", "Service", "Deployment", "StatefulSet", "PodDisruptionBudget", "ScaledObject",
                "TriggerAuthentication", "NetworkPolicy");
        assertThat(objects).allSatisfy(o -> assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/part-of").asString())
                .isEqualTo("quantum-trader"));
    }

    @Test
    void coreObjectsHaveNoUnknownFields() {
        for (JsonNode o : objects) {
            String json = JSON.writeValueAsString(o);
            String kind = o.path("kind").asString();
            try {
                switch (kind) {
                    case "Deployment" -> V1Deployment.fromJson(json);
                    case "StatefulSet" -> V1StatefulSet.fromJson(json);
                    case "Service" -> V1Service.fromJson(json);
                    case "ConfigMap" -> V1ConfigMap.fromJson(json);
                    case "Secret" -> V1Secret.fromJson(json);
                    case "PodDisruptionBudget" -> V1PodDisruptionBudget.fromJson(json);
                    case "NetworkPolicy" -> V1NetworkPolicy.fromJson(json);
                    default -> {
                        // KEDA objects: schema-checked by k8s/validate
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new AssertionError(kind + " " + o.path("metadata").path("name").asString() + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void namesAreDns1123AndSelectorsMatchTemplateLabels() {
        for (JsonNode o : objects) {
            String name = o.path("metadata").path("name").asString();
            assertThat(name).as("name of %s", o.path("kind").asString()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
            if (Set.of("Deployment", "StatefulSet").contains(o.path("kind").asString())) {
                Map<String, String> selector = labels(o.path("spec").path("selector").path("matchLabels"));
                Map<String, String> template = labels(o.path("spec").path("template").path("metadata").path("labels"));
                assertThat(selector).as("%s selector", name).isNotEmpty();
                assertThat(template).as("%s template labels", name).containsAllEntriesOf(selector);
            }
        }
    }

    @Test
    void servicesDisruptionBudgetsAndPoliciesSelectExistingPods() {
        List<Map<String, String>> podLabels = workloads().stream()
                .map(w -> labels(w.path("spec").path("template").path("metadata").path("labels"))).toList();
        for (JsonNode o : objects) {
            JsonNode selector = switch (o.path("kind").asString()) {
                case "Service" -> o.path("spec").path("selector");
                case "PodDisruptionBudget" -> o.path("spec").path("selector").path("matchLabels");
                case "NetworkPolicy" -> o.path("spec").path("podSelector").path("matchLabels");
                default -> null;
            };
            if (selector != null) {
                Map<String, String> s = labels(selector);
                assertThat(podLabels).as("pods selected by %s %s", o.path("kind").asString(), o.path("metadata").path("name").asString())
                        .anyMatch(l -> l.entrySet().containsAll(s.entrySet()));
            }
        }
    }

    @Test
    void everyReferenceResolvesAndNoWorkloadHasTwoAutoscalers() {
        Map<String, Set<String>> names = new HashMap<>();
        objects.forEach(o -> names.computeIfAbsent(o.path("kind").asString(), k -> new java.util.HashSet<>())
                .add(o.path("metadata").path("name").asString()));
        for (JsonNode w : workloads()) {
            JsonNode pod = w.path("spec").path("template").path("spec");
            pod.path("volumes").forEach(v -> {
                if (v.has("configMap")) {
                    assertThat(names.get("ConfigMap")).contains(v.path("configMap").path("name").asString());
                }
            });
            pod.path("containers").forEach(c -> c.path("env").forEach(e -> {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode()) {
                    assertThat(names.get("Secret")).contains(ref.path("name").asString());
                }
            }));
            if (w.path("kind").asString().equals("StatefulSet")) {
                assertThat(names.get("Service")).contains(w.path("spec").path("serviceName").asString());
            }
        }
        Set<String> scaled = new java.util.HashSet<>();
        for (JsonNode o : objects) {
            if (o.path("kind").asString().equals("ScaledObject")) {
                JsonNode target = o.path("spec").path("scaleTargetRef");
                assertThat(names.get(target.path("kind").asString("Deployment"))).as("scale target").contains(target.path("name").asString());
                o.path("spec").path("triggers").forEach(t -> {
                    if (t.has("authenticationRef")) {
                        assertThat(names.get("TriggerAuthentication")).contains(t.path("authenticationRef").path("name").asString());
                    }
                    assertThat(t.path("type").asString()).isEqualTo("redis-streams");
                    assertThat(t.path("metadata").path("lagCount").asString()).matches("\\d+");
                });
                assertThat(scaled.add(target.path("name").asString())).as("one ScaledObject per workload").isTrue();
            }
        }
        for (JsonNode o : objects) {
            if (o.path("kind").asString().equals("HorizontalPodAutoscaler")) {
                assertThat(scaled).doesNotContain(o.path("spec").path("scaleTargetRef").path("name").asString());
            }
        }
    }

    private static List<JsonNode> workloads() {
        return objects.stream().filter(o -> Set.of("Deployment", "StatefulSet").contains(o.path("kind").asString())).toList();
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> m = new HashMap<>();
        node.properties().forEach(e -> m.put(e.getKey(), e.getValue().asString()));
        return m;
    }
}
