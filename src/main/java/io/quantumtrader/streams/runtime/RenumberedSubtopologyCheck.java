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
 * <p>Two rules, per source stream partition, over the consumer groups of this application ({@code <application-id>.<n>})
 * on it:
 * <ol>
 *   <li><b>Created while abandoned.</b> A group this release would <b>create</b> while a group of this application that
 *   no sub-topology of this release reads the stream with is still there (<b>abandoned</b>) is a renumbering, and the
 *   start is refused. An abandoned group alone (a sub-topology removed for good; also on a stream the release only
 *   writes) is a warning: it holds back trimming until destroyed. Needs nothing recorded beforehand, so it also holds
 *   for the first release carrying it. When the namespace records a topology first run after this one ({@link
 *   NewerTopologies}: an old-release instance restarted during a rolling update, or a rollback), the warning says the
 *   group may be that newer release's and must be kept: advised to destroy it, the operator made the newer release
 *   process the stream again (review of 2026-12-06).</li>
 *   <li><b>Resumed by another source.</b> Each group records the source node it was made for
 *   ({@link StreamKeys#groupReaders}, written by the group's creation, or by the first start that finds the group
 *   without a record: a group made before 2026-12-06). A group this release would <b>resume</b> through another source
 *   node than the recorded one is refused: two sub-topologies of one stream that swapped their ids (each would resume
 *   the other's position and dedupe log), or a sub-topology removed and a different one added in its place on the same
 *   stream (the new one would resume the removed one's position instead of starting from the stream's first retained
 *   entry). Gaps (a) and (b) of the review of 2026-12-06 ({@code RenumberedSubtopologyTest}). When the operator then
 *   destroys the group, the next start makes it again from the stream's first retained entry and, the recorded source
 *   being another, drops the old one's dedupe log in the same script ({@code create-group.lua}; kept, its ids hid the
 *   retained entries from the new sub-topology for the dedupe window).</li>
 * </ol>
 * The identity compared is the source node's name alone: a release that edits a sub-topology behind its source (adds
 * or changes processors, sinks or stores) resumes as before. A generated source name ({@code KSTREAM-SOURCE-<n>}, which
 * moves when any node is added before it) is neither recorded nor compared, so rule 2 needs named sources
 * ({@code Named.as}: a stream read by several sub-topologies through an unnamed source is warned about at every start);
 * and a source renamed on purpose is refused like a different one (keep the old name). One read per
 * stream partition at the start (groups and records in one script, in the partition's slot); nothing per record.
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
     * @param newerTopologies the topologies recorded in the namespace as first run after this one ({@link
     *                        NewerTopologies#describe}), empty when none: a group of this application no sub-topology of
     *                        this release reads is then not called abandoned (it may be a newer release's)
     * @param attemptTimeout how long one read of a stream partition's groups may take (the start's attempt timeout)
     * @param eachKey        wraps each stream partition's read of its groups (the start's retry with backoff)
     */
    static Mono<Findings> check(Topology topology, StreamsConfig config, StreamAdmin admin, String newerTopologies,
                                java.time.Duration attemptTimeout,
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
                        .flatMapSequential(p -> eachKey.apply(admin.groupsAndReaders(keys.stream(e.getKey(), p),
                                attemptTimeout), keys.stream(e.getKey(), p)), ResilientPass.CONCURRENCY)
                        .map(g -> new StreamAdmin.StreamGroups(g.type(), g.length(),
                                g.groups().stream().filter(name -> ofApplication(app, name)).toList(), g.readers()))
                        .collectList()
                        .map(perPartition -> judge(config.namespace(), e.getKey(), e.getValue(), perPartition,
                                newerTopologies)))
                .collect(() -> new Findings(new ArrayList<>(), new ArrayList<>()), (all, one) -> {
                    all.refusals().addAll(one.refusals());
                    all.warnings().addAll(one.warnings());
                });
    }

    /**
     * @param wanted       group → sub-topology, for each sub-topology of this release reading {@code stream}
     * @param perPartition the groups of this application on each partition of the stream, with the source each was
     *                     made for where recorded ({@link StreamAdmin.StreamGroups#readers})
     */
    static Findings judge(String namespace, String stream, Map<String, Subtopology> wanted,
                          List<StreamAdmin.StreamGroups> perPartition) {
        return judge(namespace, stream, wanted, perPartition, "");
    }

    /**
     * @param wanted          group → sub-topology, for each sub-topology of this release reading {@code stream}
     * @param perPartition    the groups of this application on each partition of the stream, with the source each was
     *                        made for where recorded ({@link StreamAdmin.StreamGroups#readers})
     * @param newerTopologies the topologies recorded as first run after this one, for people ({@link
     *                        NewerTopologies#describe}); empty when none. When not empty, a group no sub-topology of this
     *                        release reads is warned about as possibly a newer release's (keep it), not as abandoned
     *                        (destroy it): an old-release pod restarted during a rolling update told the operator to
     *                        XGROUP DESTROY the new release's groups, which would then process their streams again
     *                        (review of 2026-12-06, {@code RenumberedSubtopologyNewerReleaseTest})
     */
    static Findings judge(String namespace, String stream, Map<String, Subtopology> wanted,
                          List<StreamAdmin.StreamGroups> perPartition, String newerTopologies) {
        Set<String> abandoned = new TreeSet<>();
        String created = null;
        Set<String> abandonedWhereCreated = new TreeSet<>();
        // group → the source it was made for, where this release would resume it through another source
        Map<String, String> resumedByAnother = new TreeMap<>();
        for (StreamAdmin.StreamGroups partition : perPartition) {
            List<String> existing = partition.groups();
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
            for (String g : existing) {
                String recorded = partition.readers().getOrDefault(g, "");
                Subtopology s = wanted.get(g);
                String reader = s == null ? "" : readerOf(s, stream);
                if (!recorded.isEmpty() && !reader.isEmpty() && !recorded.equals(reader)) {
                    resumedByAnother.putIfAbsent(g, recorded);
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
        } else if (!abandoned.isEmpty() && !newerTopologies.isEmpty()) {
            warnings.add("consumer group " + String.join(", ", abandoned) + " of stream '" + stream + "' in namespace '"
                    + namespace + "' is read by no sub-topology of this release, which is older than " + newerTopologies
                    + ": the group may be a newer release's. Do not destroy it while that release may run (it would "
                    + "process the stream again); it holds back the stream's retention trimming until then "
                    + "(docs/OPERATIONS.md \"Releases that change the topology\")");
        } else if (!abandoned.isEmpty()) {
            warnings.add("consumer group " + String.join(", ", abandoned) + " of stream '" + stream + "' in namespace '"
                    + namespace + "' is read by no sub-topology of this release and holds back the stream's retention "
                    + "trimming: if its sub-topology was removed for good, XGROUP DESTROY it on every partition of '"
                    + stream + "' (docs/OPERATIONS.md \"Releases that change the topology\")");
        }
        List<String> unnamed = wanted.values().stream().filter(s -> readerOf(s, stream).isEmpty())
                .map(s -> Integer.toString(s.id())).toList();
        if (wanted.size() > 1 && !unnamed.isEmpty()) {
            warnings.add("stream '" + stream + "' is read by " + wanted.size() + " sub-topologies, and the source of "
                    + "sub-topology " + String.join(", ", unnamed) + " has a generated name: a release that swaps or "
                    + "replaces them is not refused (each would resume another's position). Name the sources (Named.as; "
                    + "docs/OPERATIONS.md \"Releases that change the topology\")");
        }
        resumedByAnother.forEach((group, recorded) -> {
            Subtopology s = wanted.get(group);
            refusals.add("consumer group " + group + " of stream '" + stream + "' was made for source " + recorded
                    + ", but sub-topology " + s.id() + " reads it with source " + readerOf(s, stream) + " and would resume "
                    + recorded + "'s position and dedupe log: the release swapped or replaced sub-topologies on '" + stream
                    + "'. Keep the order of the sub-topologies reading it (and a renamed source's old name); if "
                    + readerOf(s, stream) + " is new there, XGROUP DESTROY " + group + " on every "
                    + "partition of '" + stream + "' (docs/OPERATIONS.md \"Releases that change the topology\")");
        });
        return new Findings(refusals, warnings);
    }

    /**
     * The identity of the reader of a stream under a sub-topology's group, as recorded with the group
     * ({@link StreamKeys#groupReaders}) and compared by this check.
     *
     * @return the name of {@code s}'s source node reading {@code stream}; empty when that name was generated
     *         ({@code KSTREAM-SOURCE-<n>}: it moves when any node is added before it, so it does not tell a
     *         sub-topology across releases) or when no source of {@code s} reads {@code stream}
     */
    static String readerOf(Subtopology s, String stream) {
        return s.nodes().stream().filter(n -> n.kind() == TopologyNode.Kind.SOURCE && n.streams().contains(stream))
                .map(TopologyNode::name).filter(name -> !GENERATED_SOURCE.matcher(name).matches())
                .findFirst().orElse("");
    }

    /** The names {@code TopologyBuilder} gives unnamed source nodes. */
    private static final java.util.regex.Pattern GENERATED_SOURCE = java.util.regex.Pattern.compile("KSTREAM-SOURCE-\\d{10}");

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
