package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.internals.Subtopology;
import io.quantumtrader.streams.dsl.internals.TopologyNode;
import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamKeys;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Finds, before a start creates its consumer groups, a release that renumbered sub-topologies. Consumer groups are
 * named per sub-topology id ({@link StreamKeys#group}, ids in order of each sub-topology's first node), and a new group
 * starts from the stream's first retained entry ({@code create-group.lua}): a release that inserts a sub-topology before
 * others gives a moved one a new group, which processes again every entry its old group had committed (its dedupe log
 * is per group too), while the old group stays on the stream and holds back retention trimming. Kafka Streams keeps
 * offsets per application and topic partition, so its renumbered sub-topologies resume (found in review, 2026-12-06).
 *
 * <p>Rule, per source stream partition, over the consumer groups of this application ({@code <application-id>.<n>}) on
 * it: a group this release would <b>create</b> while a group of this application that no sub-topology of this release
 * reads the stream with is still there (<b>abandoned</b>) is a renumbering, and the start is refused. An abandoned
 * group alone (a sub-topology removed for good; also on a stream the release only writes) is a warning: it holds back
 * trimming until destroyed. Two sub-topologies
 * reading one stream keep both their groups: neither created nor abandoned. Needs nothing recorded beforehand, so it
 * also holds for the first release carrying it. Not seen: two sub-topologies of one stream swapping their ids (no group
 * is created or abandoned).
 */
final class RenumberedSubtopologyCheck {

    /**
     * @param refusals one line per stream on which a release renumbered sub-topologies (the start must be refused)
     * @param warnings one line per stream holding a group of this application no sub-topology reads it with any more
     */
    record Findings(List<String> refusals, List<String> warnings) {
    }

    private RenumberedSubtopologyCheck() {
    }

    /**
     * @param attemptTimeout how long one read of a stream partition's groups may take (the start's attempt timeout)
     * @param eachKey        wraps each stream partition's read of its groups (the start's retry with backoff)
     */
    static Mono<Findings> check(Topology topology, StreamsConfig config, StreamAdmin admin, java.time.Duration attemptTimeout,
                                BiFunction<Mono<StreamAdmin.StreamGroups>, String, Mono<StreamAdmin.StreamGroups>> eachKey) {
        String app = topology.applicationId();
        StreamKeys keys = new StreamKeys(config.namespace());
        // stream → group of each sub-topology reading it → that sub-topology (none for a stream it only writes)
        Map<String, Map<String, Subtopology>> readers = new TreeMap<>();
        for (Subtopology s : topology.taskSubtopologies()) {
            for (String stream : s.sourceStreams()) {
                readers.computeIfAbsent(stream, k -> new TreeMap<>()).put(StreamKeys.group(app, s.id()), s);
            }
        }
        // streams only written (the trimmer trims them too): a group of this application left there holds back trimming
        for (Subtopology s : topology.taskSubtopologies()) {
            for (String stream : s.sinkStreams()) {
                readers.computeIfAbsent(stream, k -> new TreeMap<>());
            }
        }
        return Flux.fromIterable(readers.entrySet())
                .concatMap(e -> Flux.range(0, config.catalog().spec(e.getKey()).partitions())
                        // a key of another type holds no group: the commit (a sink's) or the group's creation (a
                        // source's) refuses it with its own alert (CommitAtomicityTest: this check failed the start
                        // with Redis' bare WRONGTYPE before the commit's CRITICAL alert could name it)
                        // the partitions at once (ResilientPass.CONCURRENCY of them, in order): one after the other,
                        // a start on a Redis Cluster paid a round trip per stream partition
                        .flatMapSequential(p -> eachKey.apply(admin.groups(keys.stream(e.getKey(), p), attemptTimeout),
                                keys.stream(e.getKey(), p)), ResilientPass.CONCURRENCY)
                        .map(g -> g.groups().stream().filter(name -> ofApplication(app, name)).toList())
                        .collectList()
                        .map(perPartition -> judge(config.namespace(), e.getKey(), e.getValue(), perPartition)))
                .collect(() -> new Findings(new ArrayList<>(), new ArrayList<>()), (all, one) -> {
                    all.refusals().addAll(one.refusals());
                    all.warnings().addAll(one.warnings());
                });
    }

    /**
     * @param wanted       group → sub-topology, for each sub-topology of this release reading {@code stream}
     * @param perPartition the groups of this application on each partition of the stream
     */
    static Findings judge(String namespace, String stream, Map<String, Subtopology> wanted,
                          List<List<String>> perPartition) {
        Set<String> abandoned = new TreeSet<>();
        String created = null;
        Set<String> abandonedWhereCreated = new TreeSet<>();
        for (List<String> existing : perPartition) {
            List<String> gone = existing.stream().filter(g -> !wanted.containsKey(g)).toList();
            abandoned.addAll(gone);
            if (!gone.isEmpty()) {
                for (String g : wanted.keySet()) {
                    if (!existing.contains(g)) {
                        created = created == null ? g : created;
                        abandonedWhereCreated.addAll(gone);
                    }
                }
            }
        }
        List<String> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (created != null) {
            Subtopology moved = wanted.get(created);
            String old = String.join(", ", abandonedWhereCreated);
            refusals.add("sub-topology " + moved.id() + " (source " + sources(moved, stream) + ") would create consumer group "
                    + created + " on stream '" + stream + "' and process again every retained entry that group " + old
                    + " (read by no sub-topology of this release) committed: the release renumbered sub-topologies. Keep "
                    + "the order of the existing sub-topologies (add new ones after them), or, to reprocess knowingly, "
                    + "XGROUP DESTROY " + old + " on every partition of '" + stream + "' (docs/OPERATIONS.md \"Releases "
                    + "that change the topology\")");
        } else if (!abandoned.isEmpty()) {
            warnings.add("consumer group " + String.join(", ", abandoned) + " of stream '" + stream + "' in namespace '"
                    + namespace + "' is read by no sub-topology of this release and holds back the stream's retention "
                    + "trimming: if its sub-topology was removed for good, XGROUP DESTROY it on every partition of '"
                    + stream + "' (docs/OPERATIONS.md \"Releases that change the topology\")");
        }
        return new Findings(refusals, warnings);
    }

    private static String sources(Subtopology s, String stream) {
        return s.nodes().stream().filter(n -> n.kind() == TopologyNode.Kind.SOURCE && n.streams().contains(stream))
                .map(TopologyNode::name).findFirst().orElse("?");
    }

    /** @return whether {@code group} is a sub-topology's group of {@code applicationId}: {@code <application-id>.<n>} */
    static boolean ofApplication(String applicationId, String group) {
        String prefix = applicationId + ".";
        return group.startsWith(prefix) && group.length() > prefix.length()
                && group.substring(prefix.length()).chars().allMatch(Character::isDigit);
    }
}
