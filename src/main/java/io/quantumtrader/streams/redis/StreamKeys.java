package io.quantumtrader.streams.redis;

/**
 * The Redis key layout (DESIGN §2). Every key of partition {@code p} carries the hash tag {@code {<ns>.<p>}}, so a
 * task's input streams, state hashes, lease and fencing counter live in one Redis Cluster slot and one Lua script can
 * commit them atomically; with the namespace in the tag, applications in different namespaces spread over the slots.
 *
 * <ul>
 *   <li>stream partition: {@code <ns>:{<ns>.<p>}:s:<stream>}</li>
 *   <li>state store: {@code <ns>:{<ns>.<p>}:kv:<application-id>.<store>}</li>
 *   <li>task lease: {@code <ns>:{<ns>.<p>}:lease:<application-id>.<sub-topology>} (value: the owner's fencing token,
 *       expires unless renewed), its owner's instance id in {@code <ns>:{<ns>.<p>}:lease-owner:<application-id>.<sub-topology>}</li>
 *   <li>fencing counter: {@code <ns>:{<ns>.<p>}:fence:<application-id>.<sub-topology>}</li>
 *   <li>task metadata (stream time per node): {@code <ns>:{<ns>.<p>}:meta:<application-id>.<sub-topology>}</li>
 *   <li>task dedupe log (input event ids recorded by commits, one list element per commit, {@link DedupeLog}):
 *       {@code <ns>:{<ns>.<p>}:dedupe-log:<application-id>.<sub-topology>}</li>
 *   <li>entries deleted from a stream partition before a consumer group read them, as last reported per group
 *       ({@link #deletedUnread}): {@code <ns>:{<ns>.<p>}:deleted-unread:<stream>}</li>
 *   <li>the source each consumer group of a stream partition was made for ({@link #groupReaders}):
 *       {@code <ns>:{<ns>.<p>}:group-readers:<stream>}</li>
 *   <li>arrival marks of a stream partition whose entry ids run ahead of the clock, for retention trimming
 *       ({@link #arrivals}): {@code <ns>:{<ns>.<p>}:arrivals:<stream>}</li>
 *   <li>Redis Cluster only: the task's outbox {@code <ns>:{<ns>.<p>}:outbox:<group>} (outputs bound for other slots,
 *       written by the commit) and, in every slot outputs are forwarded to, {@code <ns>:{<ns>.<q>}:forwarded}
 *       (producer outbox → last forwarded entry id)</li>
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

    /**
     * @return {@code <ns>:{<ns>.<p>}:}, the prefix of every key of partition {@code p}: the hash tag holds the
     *         namespace and the partition, so a task's keys share one Redis Cluster slot and the partitions of
     *         different namespaces (applications) spread over the cluster's slots
     */
    public String slot(int partition) {
        return namespace + ":{" + namespace + "." + partition + "}:";
    }

    /**
     * @return the task's outbox: a stream in the task's slot to which a commit on a Redis Cluster writes the outputs
     *         bound for another slot; {@link OutboxForwarder} then appends them to their streams, idempotently
     */
    public String outbox(String group, int partition) {
        return slot(partition) + "outbox:" + group;
    }

    /**
     * @param keyInSlot any key with a hash tag, e.g. a stream partition of another task
     * @return the hash in that key's slot recording, per producing task (outbox key), the last outbox entry id appended
     *         there: {@code <prefix>{<tag>}:forwarded}
     */
    public static String forwarded(String keyInSlot) {
        int close = keyInSlot.indexOf('}');
        if (keyInSlot.indexOf('{') < 0 || close < 0) {
            throw new IllegalArgumentException("key " + keyInSlot + " has no hash tag");
        }
        return keyInSlot.substring(0, close + 1) + ":forwarded";
    }

    /** @return the Redis stream key of one partition of a logical stream */
    public String stream(String stream, int partition) {
        return slot(partition) + "s:" + stream;
    }

    /** @return the Redis hash key of one partition of a state store */
    public String store(String applicationId, String store, int partition) {
        return slot(partition) + "kv:" + applicationId + "." + store;
    }

    /** @return the key holding the fencing token of the task's current owner */
    public String lease(String group, int partition) {
        return slot(partition) + "lease:" + group;
    }

    /** @return the key holding the instance id of the task lease's owner (same TTL as the lease) */
    public String leaseOwner(String group, int partition) {
        return slot(partition) + "lease-owner:" + group;
    }

    /**
     * @return a scratch hash of the task's fenced reads ({@link FencedReadConnection}): written and deleted within one
     *         transaction, and only by a read made under a lease the reader no longer holds; normally absent
     */
    public String fencedRead(String group, int partition) {
        return slot(partition) + "fenced-read:" + group;
    }

    /** @return the task's metadata hash (stream time per node), written with every commit */
    public String meta(String group, int partition) {
        return slot(partition) + "meta:" + group;
    }

    /**
     * @return the task's dedupe log: a list of the input event ids its commits recorded, one element per commit
     *         ({@link DedupeLog}), trimmed to the dedupe window and bound
     */
    public String dedupe(String group, int partition) {
        return slot(partition) + "dedupe-log:" + group;
    }

    /**
     * @param streamKey a stream partition's key ({@link #stream}) the group reads
     * @return the group's dedupe log in that partition, as {@link #dedupe} names it ({@code <ns>:{<ns>.<p>}:dedupe-log:<group>});
     *         {@code <key>:dedupe-log:<group>} for a key outside this layout
     */
    public static String dedupeOf(String streamKey, String group) {
        int close = streamKey.indexOf("}:");
        if (streamKey.indexOf('{') < 0 || close < 0 || !streamKey.startsWith("s:", close + 2)) {
            return streamKey + ":dedupe-log:" + group;
        }
        return streamKey.substring(0, close + 2) + "dedupe-log:" + group;
    }

    /**
     * @return the task's dedupe set as written until 2026-12-03: a sorted set of event ids scored by arrival (ms). Read
     *         (never written) when the task starts, so ids recorded before an upgrade are still recognized
     */
    public String legacyDedupe(String group, int partition) {
        return slot(partition) + "dedupe:" + group;
    }

    /**
     * @return the hash of watermarks of one stream partition, in that partition's slot: field = producer (a task
     *         {@code <application-id>:<task-id>} or an external producer's name), value = the producer's watermark,
     *         epoch ms: nothing older will follow from it (DESIGN §2 "Event time across inputs")
     */
    public String watermarks(String stream, int partition) {
        return slot(partition) + "watermarks:" + stream;
    }

    /**
     * @return the hash of hold marks of one stream partition, beside its {@link #watermarks} in the same slot: field =
     *         producer task ({@code <application-id>:<task-id>}), value = {@code "0"} when the task holds no record
     *         back, else a heartbeat (the task's wall clock, epoch ms, when it wrote the mark) that changes at least at
     *         every punctuation while a processor of the task holds records ({@code Processor#earliestHeldTimestamp()}):
     *         its watermark then stands still because of the hold, not for lack of records, and its readers do not
     *         count it idle ({@code ProducerIdleness}). Each run of the task writes it at its start, before its first
     *         read (a heartbeat when it restored held records, else "0"): a heartbeat that stops changing is the last
     *         of a run that stopped, and a reader that has not seen it change awaits the next run longer. A separate
     *         hash, so that every reader of the watermark hash (one field per producer, a number each) reads what it
     *         always read
     */
    public String holdMarks(String stream, int partition) {
        return slot(partition) + "hold-marks:" + stream;
    }

    /** @return the counter that issues increasing fencing tokens for the task */
    public String fence(String group, int partition) {
        return slot(partition) + "fence:" + group;
    }

    /**
     * @return the membership sorted set: member = instance id (also its consumer name), score = the epoch ms until
     *         which the instance is live; an instance whose score is in the past is dead. Shared by every application
     *         in the namespace: each member's details ({@link #member}) name its application, and an application
     *         assigns its tasks among its own members only
     */
    public String members() {
        return namespace + ":members";
    }

    /**
     * @return the hash of the topologies that ever ran in the namespace: field = topology fingerprint, value = Redis'
     *         clock when a member first ran it, epoch ms (set once, {@code HSETNX})
     */
    public String topologies() {
        return namespace + ":topologies";
    }

    /** @return the hash with one member's details (host, start time, owned tasks) */
    public String member(String instanceId) {
        return namespace + ":member:" + instanceId;
    }

    /** @return the consumer group of a sub-topology: {@code <application-id>.<sub-topology>} */
    public static String group(String applicationId, int subtopology) {
        return applicationId + "." + subtopology;
    }

    /**
     * @param streamKey a stream partition's key ({@link #stream}), or any other stream key
     * @return the hash, in the same slot, of the last deletion of unread entries reported per consumer group (field:
     *         group, value: the stream's max-deleted-entry-id when it was reported; {@code deleted-unread.lib.lua}),
     *         the group's running totals of such losses (fields {@code #entries:<group>}, {@code #unknown:<group>};
     *         {@link DeletedUnreadTotals}) and the outcome of the last claim at a task's start (field
     *         {@code #claim:<group>}: token, claimed, dead-lettered, and while a claim in chunks is under way the cursor
     *         it goes on from; {@code claim-pending.lua}), and whether the task confirmed that claim's dead letters
     *         counted (field {@code #claim-counted:<group>}: its token once confirmed, empty until then;
     *         {@code claim-counted.lua}):
     *         {@code <ns>:{<ns>.<p>}:deleted-unread:<stream>}, or {@code <key>:deleted-unread} for a key outside this
     *         layout
     */
    public static String deletedUnread(String streamKey) {
        int close = streamKey.indexOf("}:");
        if (streamKey.indexOf('{') < 0 || close < 0 || !streamKey.startsWith("s:", close + 2)) {
            return streamKey + ":deleted-unread";
        }
        return streamKey.substring(0, close + 2) + "deleted-unread:" + streamKey.substring(close + 4);
    }

    /**
     * @param streamKey a stream partition's key ({@link #stream})
     * @return the hash, in the same slot, of the source node each consumer group of the stream partition was made for
     *         (field: group {@code <application-id>.<sub-topology>}, value: the name of the source node reading the
     *         stream under it; written when the group is created, or at the first start that finds the group without
     *         one, {@code create-group.lua}), so that a start can tell a group resumed by another sub-topology
     *         ({@code RenumberedSubtopologyCheck}): {@code <ns>:{<ns>.<p>}:group-readers:<stream>}, or
     *         {@code <key>:group-readers} for a key outside this layout
     */
    public static String groupReaders(String streamKey) {
        int close = streamKey.indexOf("}:");
        if (streamKey.indexOf('{') < 0 || close < 0 || !streamKey.startsWith("s:", close + 2)) {
            return streamKey + ":group-readers";
        }
        return streamKey.substring(0, close + 2) + "group-readers:" + streamKey.substring(close + 4);
    }

    /**
     * @return the arrival marks of a stream partition whose entry ids run ahead of the clock (a writer chose an id in
     *         the future): a sorted set of entry id → the first time (epoch ms) a retention pass saw it as the
     *         stream's last id, so entries after such an id are still trimmed once they are older than the retention
     *         ({@code trim-retention.lua}); absent while the ids are not ahead, expires on its own:
     *         {@code <ns>:{<ns>.<p>}:arrivals:<stream>}, or {@code <key>:arrivals} for a key outside this layout
     */
    public static String arrivals(String streamKey) {
        int close = streamKey.indexOf("}:");
        if (streamKey.indexOf('{') < 0 || close < 0 || !streamKey.startsWith("s:", close + 2)) {
            return streamKey + ":arrivals";
        }
        return streamKey.substring(0, close + 2) + "arrivals:" + streamKey.substring(close + 4);
    }

    /**
     * @param streamKey a stream partition's key ({@link #stream})
     * @return the key of the same partition of its dead-letter stream ({@link #deadLetter}), in the same slot
     */
    public static String deadLetterOf(String streamKey) {
        return deadLetter(streamKey); // <ns>:{<ns>.<p>}:s:<stream> + ".dlq" is the key of <stream>.dlq's partition p
    }

    /** @return the dead-letter stream of a stream: {@code <stream>.dlq} */
    public static String deadLetter(String stream) {
        return stream + ".dlq";
    }
}
