package io.quantumtrader.streams.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Which live members the assignment may give tasks to when they do not all run the same topology (a rolling update
 * that adds or removes sub-topologies or partitions). Each instance only knows its own tasks: before this rule, a task
 * only the new release had could be given to an old instance, which could not run it, and stayed unowned until the old
 * instances were gone (found in review, 2026-12-05). Rule: <b>among the live members, the topology that first ran in the
 * namespace last wins</b> (the new release during a rolling update; an old-release instance restarted meanwhile does
 * not take the tasks back, since its topology first ran earlier; a rollback takes effect once the newer release's
 * instances are stopped): only the members running it are assigned tasks, the others hand theirs over and wait until
 * they are stopped. Every instance reads the same details from Redis, so all compute the same winner. Only the members
 * of one application are compared ({@link Membership#topologies}): another application in the namespace runs another
 * topology by nature, and comparing with it made one application hand every task over for good (review of
 * 2026-12-06). Plain Java.
 */
final class TopologyVersions {

    /**
     * One member's topology, from its membership details.
     *
     * @param fingerprint {@link #fingerprint} of the topology it runs
     * @param joinedMillis when the member's topology first ran in the namespace, Redis' clock in epoch ms
     */
    record MemberTopology(String fingerprint, long joinedMillis) {
    }

    private TopologyVersions() {
    }

    /**
     * @param description the topology's description ({@code Topology.describe()}, its sub-topologies, nodes and
     *                    stores)
     * @param tasks       its task ids ({@code <sub-topology>_<partition>}: the partition counts)
     * @return 16 hex digits of the SHA-256 of both: equal for two instances exactly when they run the same tasks the same
     *         way
     */
    static String fingerprint(String description, Collection<TaskId> tasks) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(description.getBytes(StandardCharsets.UTF_8));
            tasks.stream().sorted().forEach(t -> sha.update(("\n" + t).getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @param live    live member ids, sorted
     * @param details each member's topology; a member without details (they were not written yet, or were lost) is
     *                left out of this step's assignment
     * @return the live members that run the winning topology (the one first run latest, ties broken by the larger
     *         member id), in {@code live}'s order; empty when no member has details
     */
    static List<String> assignable(List<String> live, Map<String, MemberTopology> details) {
        String winner = null;
        MemberTopology newest = null;
        for (String id : live) {
            MemberTopology t = details.get(id);
            if (t != null && (newest == null || t.joinedMillis() > newest.joinedMillis()
                    || (t.joinedMillis() == newest.joinedMillis() && id.compareTo(winner) > 0))) {
                newest = t;
                winner = id;
            }
        }
        List<String> out = new ArrayList<>();
        for (String id : live) {
            MemberTopology t = details.get(id);
            if (t != null && t.fingerprint().equals(newest.fingerprint())) {
                out.add(id);
            }
        }
        return out;
    }
}
