package io.quantumtrader.app;

import io.quantumtrader.streams.record.Envelope;
import io.quantumtrader.streams.record.JsonSerde;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamEntry;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.QuantumTraderTopology;
import io.quantumtrader.trader.events.AuditEntry;
import io.quantumtrader.trader.events.KillSwitch;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Whether the portfolio applied an operator's kill-switch reset ({@code kill-switch-reset} waits for it): the reset is
 * applied by the first tick or signal the portfolio processes once its replica of the kill-switch table holds it, and
 * audited then ({@code KILL_SWITCH_COMMAND}, decision id {@code command-<the reset's time>}, in the same commit). The
 * table keeps an account's latest entry only, so an activation published before the reset was applied replaces it and
 * the reset is never applied — the window is one refresh of the replica (DESIGN §7 global table; docs/TRADING-PIPELINE.md).
 * "Followed" is by arrival in the stream, as the table keeps entries, not by event time.
 * This reads {@code audit.decision.log} and {@code risk.kill_switch.activated} on Redis, nothing else.
 */
final class ResetConfirmation {

    /** What became of a reset. */
    enum Outcome {
        /** audited by the portfolio: applied */
        APPLIED,
        /**
         * audited by the portfolio, and an activation followed it at once: the tick that applied it tripped the kill
         * switch again (the day's loss still past the limit). Reported as applied until 2026-12-07 (found in review)
         */
        APPLIED_THEN_TRIPPED,
        /**
         * an entry followed it in the table (an activation, or another reset: the table keeps the latest) and no record
         * applied it within the settle time: lost. A later reset was not looked at until 2026-12-07, and a reset it
         * replaced was reported as pending, its re-base lost without a word (found in review)
         */
        REPLACED,
        /** neither within the wait: it stays in the table and the first tick or signal applies it */
        PENDING
    }

    /**
     * @param outcome what became of it
     * @param audit   the audit entry when applied, else {@code null}
     * @param replacedBy the entry that followed the reset when replaced (an activation or another reset), the
     *                   activation that tripped the kill switch again when applied then tripped, else {@code null}
     */
    record Result(Outcome outcome, AuditEntry audit, KillSwitch replacedBy) {
    }

    /** How long an activation may follow a reset before the reset counts as replaced: a few of the replica's refreshes. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private static final JsonSerde<AuditEntry> AUDIT = new JsonSerde<>(AuditEntry.class);
    private static final JsonSerde<KillSwitch> KILL = new JsonSerde<>(KillSwitch.class);

    private final ReactiveStringRedisTemplate redis;
    private final StreamKeys keys;
    private final StreamCatalog catalog;
    private final LongSupplier clockMs;
    private final Duration settle;

    /** With the {@link #SETTLE} time. */
    ResetConfirmation(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog, LongSupplier clockMs) {
        this(redis, keys, catalog, clockMs, SETTLE);
    }

    /** @param settle how long an activation may follow the reset before the reset counts as replaced */
    ResetConfirmation(ReactiveStringRedisTemplate redis, StreamKeys keys, StreamCatalog catalog, LongSupplier clockMs, Duration settle) {
        this.redis = redis;
        this.keys = keys;
        this.catalog = catalog;
        this.clockMs = clockMs;
        this.settle = settle;
    }

    /**
     * Polls every {@code poll} until the reset is audited, or an activation has followed it for the settle time without
     * it being audited, or {@code timeout} passed.
     *
     * @param reset   the reset as published
     * @param entryId its entry id in {@code risk.kill_switch.activated} (audit entries are looked for from its
     *                millisecond on, less a minute for clocks of other Redis Cluster masters)
     */
    Result await(KillSwitch reset, String entryId, Duration timeout, Duration poll) throws InterruptedException {
        long start = clockMs.getAsLong();
        long from = Math.max(0, Long.parseLong(entryId.substring(0, entryId.indexOf('-'))) - 60_000);
        long replacedSince = -1;
        KillSwitch replacing = null;
        while (true) {
            AuditEntry applied = audited(reset, from);
            if (applied != null) {
                // the tick that applied it may have tripped the kill switch again in the same commit
                KillSwitch after = latestAfter(reset.account(), entryId);
                return after != null && after.active() ? new Result(Outcome.APPLIED_THEN_TRIPPED, applied, after)
                        : new Result(Outcome.APPLIED, applied, null);
            }
            long now = clockMs.getAsLong();
            // followed by arrival, as the table keeps entries: an activation made from a tick before the reset carries
            // an earlier event time, and "activatedAt later than the reset's" missed that race (review 2026-12-06)
            KillSwitch latest = latestAfter(reset.account(), entryId);
            if (latest != null) {
                if (replacedSince < 0) {
                    replacedSince = now;
                }
                replacing = latest;
                if (now - replacedSince >= settle.toMillis()) {
                    return new Result(Outcome.REPLACED, null, replacing);
                }
            }
            if (now - start >= timeout.toMillis()) {
                return replacing != null ? new Result(Outcome.REPLACED, null, replacing) : new Result(Outcome.PENDING, null, null);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** @return the portfolio's audit entry of this reset, or {@code null} */
    private AuditEntry audited(KillSwitch reset, long fromMs) {
        String id = "command-" + reset.activatedAt();
        int partitions = catalog.spec(QuantumTraderTopology.AUDIT).partitions();
        for (int p = 0; p < partitions; p++) {
            String key = keys.stream(QuantumTraderTopology.AUDIT, p);
            Range<String> range = Range.rightUnbounded(Range.Bound.inclusive(fromMs + "-0"));
            while (true) {
                List<MapRecord<String, Object, Object>> page = redis.opsForStream()
                        .range(key, range, Limit.limit().count(1000)).collectList().block();
                if (page == null || page.isEmpty()) {
                    break;
                }
                for (MapRecord<String, Object, Object> r : page) {
                    AuditEntry a = decoded(r, QuantumTraderTopology.AUDIT, AUDIT);
                    if (a != null && "KILL_SWITCH_COMMAND".equals(a.decisionType()) && id.equals(a.decisionId())) {
                        return a;
                    }
                }
                if (page.size() < 1000) {
                    break;
                }
                range = Range.rightUnbounded(Range.Bound.exclusive(page.get(page.size() - 1).getId().getValue()));
            }
        }
        return null;
    }

    /**
     * @return the account's latest entry of the kill-switch stream appended after entry {@code afterId} (the reset),
     *         or {@code null}
     */
    private KillSwitch latestAfter(String account, String afterId) {
        String key = keys.stream(QuantumTraderTopology.KILL_SWITCH,
                Partitioner.partition(account, catalog.spec(QuantumTraderTopology.KILL_SWITCH).partitions()));
        List<MapRecord<String, Object, Object>> last = redis.opsForStream()
                .reverseRange(key, Range.rightUnbounded(Range.Bound.exclusive(afterId)), Limit.limit().count(20))
                .collectList().block();
        if (last == null) {
            return null;
        }
        for (MapRecord<String, Object, Object> r : last) {
            KillSwitch k = decoded(r, QuantumTraderTopology.KILL_SWITCH, KILL);
            if (k != null && account.equals(k.account())) {
                return k;
            }
        }
        return null;
    }

    /**
     * @return the entry's value, or {@code null} for an entry that is not one of the stream's events (written by
     *         something else: the portfolio dead-letters such an entry, and it is none of this reset's business). It
     *         made the command end with "unexpected error" after it had published the reset (review 2026-12-06)
     */
    private static <T> T decoded(MapRecord<String, Object, Object> r, String stream,
                                 io.quantumtrader.streams.record.Serde<T> serde) {
        try {
            return serde.deserialize(Envelope.fromFields(stream, StreamEntry.fieldsOf(r)).data());
        } catch (RuntimeException notAnEvent) {
            return null;
        }
    }
}
