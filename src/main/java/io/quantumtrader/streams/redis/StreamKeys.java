package io.quantumtrader.streams.redis;

/**
 * The Redis key layout (DESIGN §2). Every key of partition {@code p} carries the hash tag {@code {p}}, so a task's
 * input streams, state hashes, lease and fencing counter live in one Redis Cluster slot and one Lua script can commit
 * them atomically.
 *
 * <ul>
 *   <li>stream partition: {@code <ns>:{<p>}:s:<stream>}</li>
 *   <li>state store: {@code <ns>:{<p>}:kv:<application-id>.<store>}</li>
 *   <li>task lease: {@code <ns>:{<p>}:lease:<application-id>.<sub-topology>} (value: the owner's fencing token,
 *       expires unless renewed), its owner's instance id in {@code <ns>:{<p>}:lease-owner:<application-id>.<sub-topology>}</li>
 *   <li>fencing counter: {@code <ns>:{<p>}:fence:<application-id>.<sub-topology>}</li>
 *   <li>task metadata (stream time per node): {@code <ns>:{<p>}:meta:<application-id>.<sub-topology>}</li>
 *   <li>task dedupe set (input event ids recorded by commits): {@code <ns>:{<p>}:dedupe:<application-id>.<sub-topology>}</li>
 *   <li>membership: {@code <ns>:members}, a sorted set of instance id → expiry (epoch ms), renewed by each live
 *       instance's heartbeat; details of one member in the hash {@code <ns>:member:<instance-id>}</li>
 * </ul>
 *
 * @param namespace key prefix shared by every application on the same streams, e.g. {@code qt}
 */
public record StreamKeys(String namespace) {

    public StreamKeys {
        if (namespace == null || !namespace.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("namespace '" + namespace + "' may only contain letters, digits, '.', '_' and '-'");
        }
    }

    /** @return the Redis stream key of one partition of a logical stream */
    public String stream(String stream, int partition) {
        return namespace + ":{" + partition + "}:s:" + stream;
    }

    /** @return the Redis hash key of one partition of a state store */
    public String store(String applicationId, String store, int partition) {
        return namespace + ":{" + partition + "}:kv:" + applicationId + "." + store;
    }

    /** @return the key holding the fencing token of the task's current owner */
    public String lease(String group, int partition) {
        return namespace + ":{" + partition + "}:lease:" + group;
    }

    /** @return the key holding the instance id of the task lease's owner (same TTL as the lease) */
    public String leaseOwner(String group, int partition) {
        return namespace + ":{" + partition + "}:lease-owner:" + group;
    }

    /** @return the task's metadata hash (stream time per node), written with every commit */
    public String meta(String group, int partition) {
        return namespace + ":{" + partition + "}:meta:" + group;
    }

    /**
     * @return the task's dedupe set: a sorted set of the input event ids its commits recorded, scored by arrival time
     *         (ms), trimmed to the dedupe window
     */
    public String dedupe(String group, int partition) {
        return namespace + ":{" + partition + "}:dedupe:" + group;
    }

    /** @return the counter that issues increasing fencing tokens for the task */
    public String fence(String group, int partition) {
        return namespace + ":{" + partition + "}:fence:" + group;
    }

    /**
     * @return the membership sorted set: member = instance id (also its consumer name), score = the epoch ms until
     *         which the instance is live; an instance whose score is in the past is dead
     */
    public String members() {
        return namespace + ":members";
    }

    /** @return the hash with one member's details (host, start time, owned tasks) */
    public String member(String instanceId) {
        return namespace + ":member:" + instanceId;
    }

    /** @return the consumer group of a sub-topology: {@code <application-id>.<sub-topology>} */
    public static String group(String applicationId, int subtopology) {
        return applicationId + "." + subtopology;
    }

    /** @return the dead-letter stream of a stream: {@code <stream>.dlq} */
    public static String deadLetter(String stream) {
        return stream + ".dlq";
    }
}
