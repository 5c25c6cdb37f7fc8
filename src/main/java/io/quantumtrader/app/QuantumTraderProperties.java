package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.InputAlignment;
import io.quantumtrader.streams.runtime.StreamsConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the {@code serve} application ({@code quantum-trader.*} in application.yml, or environment variables
 * such as {@code QUANTUM_TRADER_NAMESPACE}).
 *
 * @param namespace           Redis key namespace of the streams
 * @param instanceId          consumer name of this instance; default: the pod / host name
 * @param batchSize           entries per task batch (default {@link StreamsConfig#DEFAULT_BATCH_SIZE}, 2,000)
 * @param maxLag              health turns OUT_OF_SERVICE above this many unread entries per source partition
 * @param maxOldestPendingAge health turns OUT_OF_SERVICE when an unacknowledged entry is older
 * @param maxStaleConsumers   health turns OUT_OF_SERVICE above this many stale consumers per group and partition
 * @param staleConsumerIdle   a consumer idle this long is stale; removed when it holds no pending entries
 * @param heartbeatInterval   how often a heartbeat goes to {@code system.health.heartbeat}
 * @param shutdownTimeout     how long a graceful stop may take to commit what is in flight
 * @param maxEventTimeSkew    an input whose event time is further ahead of the wall clock is dead-lettered (1m)
 * @param maxEntrySize        an input entry larger than this is dead-lettered with its first bytes only (64KB)
 * @param dedupeWindow        how long an input event id is remembered to skip a repeat (1h)
 * @param dedupeMaxIds        most event ids remembered per task (200000)
 * @param leaseTtl            task leases and membership entries expire after this unless renewed (every third of it):
 *                            a killed instance's tasks move after at most this long
 * @param commitWaitReplicas  commit durability: replicas that must acknowledge each commit ({@code WAIT}) before it
 *                            counts; 0 (default) for none (docs/OPERATIONS.md "Redis Cluster and TLS")
 * @param commitWaitTimeout   how long a commit waits for them (1s); fewer in time: the task restarts, nothing is lost
 * @param inputNotifier       wake idle readers when an entry arrives (one {@code XREAD BLOCK} connection per instance;
 *                            default true); false: idle partitions are polled with the back-off alone (README "Idle partitions")
 * @param credentialsRefusedRestart how long Redis may refuse the credentials on every reconnect (a rotated password)
 *                            before liveness turns BROKEN, so the container restarts with the new secret (2m)
 * @param maxStreamTimeLead   how far past its arrival (entry id ms) a record may move stream time (1s; below the
 *                            candles' 5 s grace): {@link io.quantumtrader.streams.runtime.IngestLimits#maxStreamTimeLead()}
 * @param alignmentIdleTimeout an input of event-time alignment silent this long (wall clock) stops holding the others
 *                            (5s; Kafka's {@code max.task.idle.ms}): {@link InputAlignment#idleTimeout()}
 * @param maxHeldPerInput     records alignment holds of one input before the task pauses its reads (10000; Kafka's
 *                            {@code buffered.records.per.partition}): {@link InputAlignment#maxHeldPerInput()}
 * @param maxHeldBytesPerInput estimated bytes of one input's records alignment holds before the task pauses its reads
 *                            (32MB): {@link InputAlignment#maxHeldBytesPerInput()}
 * @param riskRules           the risk rules YAML the risk kernel runs with; default: {@code config/risk-rules.yaml} in the
 *                            working directory when present, else the built-in defaults (the shipped file's values)
 * @param redisStartWait      how long {@code serve} waits at start for a Redis that is not there yet (refused connection,
 *                            no answer, {@code LOADING}), retrying with back-off (60s; 0: one attempt)
 */
@ConfigurationProperties("quantum-trader")
public record QuantumTraderProperties(@DefaultValue("qt") String namespace,
                                      String instanceId,
                                      @DefaultValue("" + StreamsConfig.DEFAULT_BATCH_SIZE) int batchSize,
                                      @DefaultValue("1000") long maxLag,
                                      @DefaultValue("60s") Duration maxOldestPendingAge,
                                      @DefaultValue("5") int maxStaleConsumers,
                                      @DefaultValue("5m") Duration staleConsumerIdle,
                                      @DefaultValue("30s") Duration heartbeatInterval,
                                      @DefaultValue("25s") Duration shutdownTimeout,
                                      @DefaultValue("1m") Duration maxEventTimeSkew,
                                      @DefaultValue("64KB") org.springframework.util.unit.DataSize maxEntrySize,
                                      @DefaultValue("1h") Duration dedupeWindow,
                                      @DefaultValue("200000") long dedupeMaxIds,
                                      @DefaultValue("10s") Duration leaseTtl,
                                      @DefaultValue("0") int commitWaitReplicas,
                                      @DefaultValue("1s") Duration commitWaitTimeout,
                                      @DefaultValue("true") boolean inputNotifier,
                                      @DefaultValue("2m") Duration credentialsRefusedRestart,
                                      @DefaultValue("1s") Duration maxStreamTimeLead,
                                      @DefaultValue("5s") Duration alignmentIdleTimeout,
                                      @DefaultValue("" + InputAlignment.DEFAULT_MAX_HELD_PER_INPUT) int maxHeldPerInput,
                                      @DefaultValue("32MB") org.springframework.util.unit.DataSize maxHeldBytesPerInput,
                                      String riskRules,
                                      @DefaultValue("60s") Duration redisStartWait) {

    /**
     * @return the event-time alignment these settings describe: the portfolio merges ticks, signals and regimes in
     *         event time; live ticks carry no watermark, so an input silent for {@link #alignmentIdleTimeout} stops
     *         holding the others
     * @throws IllegalArgumentException when the idle timeout is not positive, {@link #maxHeldPerInput} or
     *                                  {@link #maxHeldBytesPerInput} below 1
     */
    public InputAlignment alignment() {
        Duration punctuation = StreamsConfig.defaults().punctuationInterval();
        // an idle timeout is measured at punctuations: the engine refuses one not above the interval, in its own words
        // ("punctuationInterval"), which serve does not let anyone set (review 2026-12-07)
        refuseUnless(alignmentIdleTimeout.compareTo(punctuation) > 0, "alignment-idle-timeout",
                "longer than the service's punctuation interval (" + punctuation.toMillis() + "ms)", alignmentIdleTimeout);
        refuseUnless(maxHeldPerInput >= 1, "max-held-per-input", "at least 1 record", maxHeldPerInput);
        refuseUnless(maxHeldBytesPerInput.toBytes() >= 1, "max-held-bytes-per-input", "at least 1B", maxHeldBytesPerInput);
        return InputAlignment.byWatermarks().withIdleTimeout(alignmentIdleTimeout).withMaxHeldPerInput(maxHeldPerInput)
                .withMaxHeldBytesPerInput(maxHeldBytesPerInput.toBytes());
    }

    /**
     * @return how commits reach Redis: WAIT for {@link #commitWaitReplicas} replicas when above 0
     * @throws IllegalArgumentException naming the setting out of range
     */
    public io.quantumtrader.streams.runtime.CommitOptions commitOptions() {
        refuseUnless(commitWaitReplicas >= 0, "commit-wait-replicas", "0 or more", commitWaitReplicas);
        refuseUnless(commitWaitReplicas == 0 || commitWaitTimeout.toMillis() >= 1, "commit-wait-timeout",
                "at least 1ms when commit-wait-replicas is above 0", commitWaitTimeout);
        return io.quantumtrader.streams.runtime.CommitOptions.defaults().withWait(commitWaitReplicas, commitWaitTimeout);
    }

    /**
     * @return the source checks these settings describe
     * @throws IllegalArgumentException naming the setting out of range (until 2026-12-07 the engine's message named
     *                                  every limit of the record by its field: found in review)
     */
    public io.quantumtrader.streams.runtime.IngestLimits ingestLimits() {
        Duration most = io.quantumtrader.streams.runtime.IngestLimits.UNBOUNDED;
        refuseUnless(!maxEventTimeSkew.isNegative() && maxEventTimeSkew.compareTo(most) <= 0, "max-event-time-skew",
                "0 or more (at most " + most.toMillis() + "ms)", maxEventTimeSkew);
        refuseUnless(maxEntrySize.toBytes() >= 1024 && maxEntrySize.toBytes() <= Integer.MAX_VALUE, "max-entry-size",
                "at least 1KB (and below 2GB)", maxEntrySize);
        refuseUnless(!dedupeWindow.isNegative(), "dedupe-window", "0 or more", dedupeWindow);
        refuseUnless(dedupeMaxIds >= 0 && dedupeMaxIds <= io.quantumtrader.streams.runtime.IngestLimits.MAX_DEDUPE_IDS,
                "dedupe-max-ids", "from 0 (no deduplication) to " + io.quantumtrader.streams.runtime.IngestLimits.MAX_DEDUPE_IDS,
                dedupeMaxIds);
        refuseUnless(!maxStreamTimeLead.isNegative() && maxStreamTimeLead.compareTo(most) <= 0, "max-stream-time-lead",
                "0 or more (at most " + most.toMillis() + "ms)", maxStreamTimeLead);
        return io.quantumtrader.streams.runtime.IngestLimits.defaults().withMaxEventTimeSkew(maxEventTimeSkew)
                .withMaxEntryBytes((int) maxEntrySize.toBytes()).withDedupe(dedupeWindow, dedupeMaxIds)
                .withMaxStreamTimeLead(maxStreamTimeLead);
    }

    /**
     * @param name the setting, as in {@code quantum-trader.<name>}
     * @throws IllegalArgumentException "quantum-trader.&lt;name&gt; (QUANTUM_TRADER_&lt;NAME&gt;) must be &lt;rule&gt;, was
     *                                  &lt;was&gt;" unless {@code ok}
     */
    private static void refuseUnless(boolean ok, String name, String rule, Object was) {
        if (!ok) {
            throw new IllegalArgumentException("quantum-trader." + name + " (QUANTUM_TRADER_"
                    + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + ") must be " + rule + ", was " + was);
        }
    }
}
