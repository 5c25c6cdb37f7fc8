package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.StreamAdmin;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

import java.time.Duration;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** A pending entry deleted before it was processed neither blocks recovery nor is lost silently: it is dead-lettered. */
class DeletedPendingEntryTest {

    @Test
    void aPendingEntryThatWasTrimmedAwayIsDeadLetteredAndTheRestIsProcessed() {
        String ns = RedisTestSupport.freshNamespace();
        String key = new StreamKeys(ns).stream("ticks", 0);
        new StreamAdmin(template()).ensureGroup(key, "pricing.0").block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 10), 10).block();
        var read = template().opsForStream().read(Consumer.from("pricing.0", "dead"), StreamReadOptions.empty().count(3),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
        template().opsForStream().delete(key, read.get(1).getId()).block();   // trimmed while pending

        try (StreamsRuntime runtime = new StreamsRuntime(EngineIntegrationTest.pricingTopology(),
                StreamsConfig.defaults().withNamespace(ns), template())) {
            runtime.start();
            assertThat(runtime.awaitDrained(Duration.ofSeconds(20))).isTrue();
            assertThat(runtime.counters().deadLettered()).isEqualTo(1);
            assertThat(runtime.metrics().registry().find("qt.streams.ingest.rejected").tag("stream", "ticks")
                    .tag("reason", "deleted_before_processing").counter().count()).as("counted by reason").isEqualTo(1.0);
        }
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("error.source_id", read.get(1).getId().getValue())
                        .containsEntry("error.class", "EntryDeletedBeforeProcessing")
                        .containsEntry("error.reason", "deleted_before_processing")
                        .containsEntry("error.stream", "ticks").containsEntry("error.task", "0_0"));
        assertThat(RedisTestSupport.values(ns, "priced", 0, PricedTick.class)).extracting(PricedTick::seq)
                .containsExactly(1L, 3L, 4L, 6L, 7L, 8L, 9L);
    }

    /**
     * A pending entry deleted after the claim at the task's start, and before the task read it again (Redis returns its
     * id without fields): dead-lettered for the reason the claim gives, not as an invalid envelope (before: reason
     * {@code invalid_envelope}, "missing attribute", which sends an operator looking for a broken producer instead of
     * a {@code maxlen} or retention shorter than the lag). The driver gives the executor what Redis returns.
     */
    @Test
    void aPendingEntryDeletedAfterTheClaimIsDeadLetteredAsDeletedBeforeProcessing() {
        try (io.quantumtrader.streams.testing.TopologyTestDriver driver =
                     new io.quantumtrader.streams.testing.TopologyTestDriver(EngineIntegrationTest.pricingTopology())) {
            driver.createInputStream("ticks").pipeEntry(Map.of());
            assertThat(driver.deadLetters("ticks")).singleElement()
                    .satisfies(f -> assertThat(f).containsEntry("error.reason", "deleted_before_processing"));
        }
    }

    /**
     * The claim at a task's start runs only under the task's lease, and dead-letters deleted pending entries in the
     * same script: a former owner's late claim (paused past its lease) is refused and moves nothing, so the new owner
     * keeps its pending entries in order (found in review, 2026-12-05: the claim had no lease check, and the dead
     * letters were written afterwards, one by one, so a crash between them lost the only record of the deletion).
     */
    @Test
    void theClaimRunsOnlyUnderTheLeaseAndDeadLettersDeletedEntriesInTheSameScript() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String key = keys.stream("ticks", 0);
        String lease = keys.lease("pricing.0", 0);
        String dlq = keys.stream("ticks.dlq", 0);
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(key, "pricing.0").block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 10), 10).block();
        var read = template().opsForStream().read(Consumer.from("pricing.0", "old-owner"), StreamReadOptions.empty().count(4),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
        template().opsForStream().delete(key, read.get(2).getId()).block();   // deleted while pending
        template().opsForValue().set(lease, "7:5f3a9c").block();                 // the new owner's token (<n>:<nonce>)

        assertThatThrownBy(() -> admin.claimPending(key, lease, dlq, "pricing.0", "zombie", Duration.ZERO, "6", "ticks", 0, "0_0").block())
                .isInstanceOf(io.quantumtrader.streams.redis.TaskFencedException.class).hasMessageContaining("FENCED");
        assertThat(admin.consumers(key, "pricing.0").block()).as("nothing moved to the zombie")
                .extracting(StreamAdmin.ConsumerInfo::name, StreamAdmin.ConsumerInfo::pending)
                .containsExactly(tuple("old-owner", 4L));
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).isEmpty();

        StreamAdmin.Claim claim = admin.claimPending(key, lease, dlq, "pricing.0", "new-owner", Duration.ZERO, "7:5f3a9c", "ticks", 0, "0_0").block();
        assertThat(claim.claimed()).isEqualTo(3);
        assertThat(claim.deadLettered()).isEqualTo(1);
        assertThat(claim.deliveredId()).isEqualTo(read.get(3).getId().getValue());
        assertThat(claim.newestPending()).isEqualTo(read.get(3).getId().getValue());
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).singleElement()
                .satisfies(f -> assertThat(f).containsEntry("error.source_id", read.get(2).getId().getValue()));
        assertThat(admin.claimPending(key, lease, dlq, "pricing.0", "new-owner", Duration.ZERO, "7:5f3a9c", "ticks", 0, "0_0").block())
                .as("the same claim sent again (its reply lost): the first claim's outcome, so its dead letter is counted")
                .isEqualTo(claim);
        assertThat(admin.claimCounted(key, "pricing.0", "7:5f3a9c").block()).as("the task counted them").isTrue();
        template().opsForValue().set(lease, "8:c01d2e").block();                 // the next run of the task
        assertThat(admin.claimPending(key, lease, dlq, "pricing.0", "new-owner", Duration.ZERO, "8:c01d2e", "ticks", 0, "0_0").block())
                .as("claimed again by the next run: nothing new")
                .isEqualTo(new StreamAdmin.Claim(3, 0, read.get(3).getId().getValue(), read.get(3).getId().getValue(),
                        io.quantumtrader.streams.redis.DeletedUnreadTotals.NONE));
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).as("no second dead letter").hasSize(1);
    }

    /**
     * A claim whose dead letters its task did not confirm counted ({@link StreamAdmin#claimCounted}: its reply timed
     * out, or the task stopped before counting) passes them on to the next claim, under the next run's token, which
     * returns them with its own, also when sent again; once confirmed, the claim after it has none (before, the next
     * run's claim returned 0 and those dead letters were counted nowhere: review of 2026-12-06).
     */
    @Test
    void theDeadLettersOfAClaimNotConfirmedCountedAreReturnedByTheNextClaim() {
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        String key = keys.stream("ticks", 0);
        String lease = keys.lease("pricing.0", 0);
        String dlq = keys.stream("ticks.dlq", 0);
        StreamAdmin admin = new StreamAdmin(template());
        admin.ensureGroup(key, "pricing.0").block();
        RedisTestSupport.publisher(ns, StreamCatalog.defaults()).sendAll(EngineIntegrationTest.ticks(1, 10), 10).block();
        var read = template().opsForStream().read(Consumer.from("pricing.0", "old-owner"), StreamReadOptions.empty().count(4),
                StreamOffset.create(key, ReadOffset.lastConsumed())).collectList().block();
        template().opsForStream().delete(key, read.get(0).getId(), read.get(2).getId()).block();
        String last = read.get(3).getId().getValue();

        template().opsForValue().set(lease, "7:aa").block();
        assertThat(admin.claimPending(key, lease, dlq, "pricing.0", "a", Duration.ZERO, "7:aa", "ticks", 0, "0_0").block()
                .deadLettered()).as("its reply lost: never counted").isEqualTo(2);
        template().opsForValue().set(lease, "8:bb").block();                     // the task restarted
        StreamAdmin.Claim next = admin.claimPending(key, lease, dlq, "pricing.0", "a", Duration.ZERO, "8:bb", "ticks", 0, "0_0").block();
        assertThat(next.deadLettered()).as("the first claim's dead letters, carried").isEqualTo(2);
        assertThat(next.claimed()).isEqualTo(2);
        assertThat(admin.claimPending(key, lease, dlq, "pricing.0", "a", Duration.ZERO, "8:bb", "ticks", 0, "0_0").block())
                .as("sent again: the same outcome").isEqualTo(next);
        assertThat(admin.claimCounted(key, "pricing.0", "7:aa").block()).as("a late confirmation of the first run")
                .isFalse();
        assertThat(admin.claimCounted(key, "pricing.0", "8:bb").block()).isTrue();
        template().opsForValue().set(lease, "9:cc").block();
        assertThat(admin.claimPending(key, lease, dlq, "pricing.0", "a", Duration.ZERO, "9:cc", "ticks", 0, "0_0").block())
                .isEqualTo(new StreamAdmin.Claim(2, 0, last, last, io.quantumtrader.streams.redis.DeletedUnreadTotals.NONE));
        assertThat(RedisTestSupport.entries(ns, "ticks.dlq", 0)).as("written once").hasSize(2);

        // a claim recorded before confirmations existed (no '#claim-counted' field): its task counted it on its reply
        String hash = StreamKeys.deletedUnread(key);
        template().opsForHash().put(hash, "#claim:pricing.0", "9:cc 2 5").block();
        template().opsForHash().remove(hash, "#claim-counted:pricing.0").block();
        template().opsForValue().set(lease, "10:dd").block();
        assertThat(admin.claimPending(key, lease, dlq, "pricing.0", "a", Duration.ZERO, "10:dd", "ticks", 0, "0_0").block()
                .deadLettered()).as("not carried").isZero();
    }
}
