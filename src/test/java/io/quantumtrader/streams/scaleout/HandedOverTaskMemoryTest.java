package io.quantumtrader.streams.scaleout;

import io.quantumtrader.streams.runtime.InputAligner;
import io.quantumtrader.streams.runtime.StreamTask;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-08, serve under load): a task handed over to another instance kept, on the instance it left,
 * its last run's objects for good (they were replaced only when the task ran there again, which after a scale-out may
 * be never): StreamTask.current (the last Run) -> Run.reader (PartitionReader) -> its FluxCreate sink -> the run's
 * subscriber chain -> the lambdas of StreamTask.process, which capture the TaskContext (its state stores' caches, its
 * DedupeCache of up to dedupeMaxIds ids, its global table replicas); and StreamTask.aligner, the InputAligner with
 * every record that run held back (up to maxHeldPerInput / 32 MiB per input). HandedOverTaskAlignmentStateTest fixed
 * what is reported, not the memory. Same scenario as that test.
 */
@Timeout(120)
class HandedOverTaskMemoryTest {

    @Test
    void aHandedOverTaskKeepsNoTaskContextReachable() throws Exception {
        HandedOverTaskAlignmentStateTest.afterHandOver((a, moved) -> assertThat(pathTo(moved, "io.quantumtrader.streams.runtime.TaskContext"))
                .as("a TaskContext (stores, dedupe cache, global replicas) of task %s, which no longer runs on instance a, "
                        + "is still reachable from it", moved.id()).isNull());
    }

    @Test
    void aHandedOverTaskReleasesTheRecordsItsLastRunHeld() throws Exception {
        HandedOverTaskAlignmentStateTest.afterHandOver((a, moved) -> {
            Field f = StreamTask.class.getDeclaredField("aligner");
            f.setAccessible(true);
            InputAligner left = (InputAligner) f.get(moved);
            assertThat(left == null ? 0 : left.held())
                    .as("records still referenced by task %s's last aligner on instance a, which no longer runs it", moved.id())
                    .isZero();
        });
    }

    /** @return the field path from {@code root} to an object of class {@code target}, or null */
    static String pathTo(Object root, String target) throws Exception {
        record Node(Object o, String path) {
        }
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        queue.add(new Node(root, "task"));
        seen.put(root, true);
        int visited = 0;
        while (!queue.isEmpty() && visited++ < 2_000_000) {
            Node n = queue.poll();
            Object o = n.o();
            Class<?> c = o.getClass();
            if (c.getName().equals(target)) {
                return n.path();
            }
            String name = c.getName();
            // the input notifier is the instance's, shared by its tasks: it reaches the other tasks' running readers
            // (it drops a stopped reader at its next pass; the reader's sink is cleared when its run ends)
            if (o != root && (o instanceof StreamTask || o instanceof StreamsRuntime || o instanceof Thread
                    || o instanceof io.quantumtrader.streams.redis.InputNotifier
                    || o instanceof ClassLoader || o instanceof Class || name.startsWith("org.springframework")
                    || name.startsWith("io.netty") || name.startsWith("io.micrometer") || name.startsWith("org.slf4j")
                    || name.startsWith("ch.qos"))) {
                continue;   // shared or owned by others: not this task's retention
            }
            java.util.List<Map.Entry<String, Object>> children = new java.util.ArrayList<>();
            if (c.isArray()) {
                if (!c.getComponentType().isPrimitive()) {
                    Object[] arr = (Object[]) o;
                    for (int i = 0; i < arr.length; i++) {
                        children.add(Map.entry("[" + i + "]", arr[i] == null ? "" : arr[i]));
                    }
                }
            } else if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
                try {
                    if (o instanceof Map<?, ?> m) {
                        for (Map.Entry<?, ?> e : m.entrySet()) {
                            if (e.getKey() != null) children.add(Map.entry("{key}", e.getKey()));
                            if (e.getValue() != null) children.add(Map.entry("{" + e.getKey() + "}", e.getValue()));
                        }
                    } else if (o instanceof Collection<?> col) {
                        for (Object x : col.toArray()) {
                            if (x != null) children.add(Map.entry("[]", x));
                        }
                    } else if (o instanceof java.util.concurrent.atomic.AtomicReference<?> r && r.get() != null) {
                        children.add(Map.entry(".get()", r.get()));
                    } else if (o instanceof java.util.concurrent.CompletableFuture<?> f && f.isDone() && !f.isCompletedExceptionally()) {
                        Object v = f.getNow(null);
                        if (v != null) children.add(Map.entry(".join()", v));
                    }
                } catch (RuntimeException ignored) {
                    // a concurrent collection changing under us: skip
                }
            } else {
                for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                    if (k.getName().startsWith("java.")) {
                        break;
                    }
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                            continue;
                        }
                        try {
                            f.setAccessible(true);
                            Object v = f.get(o);
                            if (v != null) {
                                children.add(Map.entry("." + f.getName(), v));
                            }
                        } catch (RuntimeException ignored) {
                            // not accessible
                        }
                    }
                }
            }
            for (Map.Entry<String, Object> e : children) {
                Object v = e.getValue();
                if (v instanceof String || v instanceof Number || v instanceof Boolean || "".equals(v)) {
                    continue;
                }
                if (seen.put(v, true) == null) {
                    queue.add(new Node(v, n.path() + e.getKey() + "(" + v.getClass().getSimpleName() + ")"));
                }
            }
        }
        return null;
    }
}
