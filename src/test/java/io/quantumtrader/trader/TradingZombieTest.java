package io.quantumtrader.trader;

import io.quantumtrader.streams.scaleout.InstanceProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trading topology on three child JVMs ({@link TradingChaos}: 5 partitions, lease TTL 2 s), the owner of the
 * account's portfolio task disrupted while it holds pending entries and ticks still arrive: frozen with SIGSTOP past
 * its leases (a zombie: fenced once resumed), or closed with SIGTERM and replaced by an instance of the same id, then
 * the two others (a rolling restart). Every event the topology writes equals an uninterrupted single-instance run's,
 * tick by tick, and nothing is left unread or pending.
 */
class TradingZombieTest {

    @Test
    void theOwnerOfTheAccountFrozenPastItsLeasesIsFencedAndChangesNoEventTheTopologyWrites() throws Exception {
        try (TradingChaos chaos = new TradingChaos("zombie")) {
            // held at half until the freeze, at three quarters until the zombie was resumed
            TradingChaos.Target target = chaos.startThreeAndTarget(chaos.ticks.size() / 2, chaos.ticks.size() * 3 / 4);
            InstanceProcess zombie = target.instance();
            String owner = target.id();
            long pendingAtPause = target.pending();
            long outputsAtPause = target.outputs();
            zombie.pause();
            chaos.release();

            // its leases expire, the survivors take the account's task and process on while it is frozen
            chaos.awaitAccountMovedFrom(owner, TradingChaos.TTL.plusSeconds(15));
            await().atMost(Duration.ofSeconds(20)).until(() -> chaos.total() > outputsAtPause + 1000);
            long processedBeforeResume = zombie.recordsIn();
            zombie.resume();

            // it finds itself fenced (or its leases not renewed in time) and stops those tasks without committing
            await().atMost(Duration.ofSeconds(10)).until(() -> zombie.output().contains("revoked (fenced)")
                    || zombie.output().contains("revoked (lease.expiring)"));
            // and rejoins: it runs tasks again (with one symbol and one account, only two partitions carry ticks:
            // whether it gets work back depends on its share)
            await().atMost(Duration.ofSeconds(20)).until(() -> zombie.status().getOrDefault("tasks", "").contains(":RUNNING"));
            chaos.release();
            List<String> undrained = chaos.awaitDrained();
            System.out.printf("SIGSTOP of %s (the account's portfolio task, partition %d) after %d outputs, holding %d "
                            + "pending entries; after SIGCONT it processed %d records more, status %s%n", owner,
                    chaos.accountPartition(), outputsAtPause, pendingAtPause, zombie.recordsIn() - processedBeforeResume,
                    zombie.status());
            chaos.assertSameAsUninterrupted(owner + " frozen after " + outputsAtPause + " outputs holding " + pendingAtPause
                    + " pending entries", undrained);
            assertThat(zombie.status().get("state")).isEqualTo("RUNNING");
            chaos.instances.forEach(i -> assertThat(i.output()).as(i.instanceId()).doesNotContain("ERROR"));
        }
    }

    @Test
    void aRollingRestartStartingWithTheOwnerOfTheAccountChangesNoEventTheTopologyWrites() throws Exception {
        try (TradingChaos chaos = new TradingChaos("rolling")) {
            // held at half until the first close, at three quarters until the second replacement runs
            TradingChaos.Target target = chaos.startThreeAndTarget(chaos.ticks.size() / 2, chaos.ticks.size() * 3 / 4);
            InstanceProcess owner = target.instance();
            long pendingAtClose = target.pending();
            long outputsAtClose = target.outputs();
            List<InstanceProcess> order = new ArrayList<>(List.of(owner));
            chaos.instances.stream().filter(i -> i != owner).forEach(order::add);
            chaos.release();
            List<InstanceProcess> replacements = new ArrayList<>();
            for (InstanceProcess leaving : order) {
                replacements.add(restart(chaos, leaving));
                if (replacements.size() == 2) {
                    chaos.release();
                }
            }
            List<String> undrained = chaos.awaitDrained();
            long processedByReplacements = replacements.stream().mapToLong(InstanceProcess::recordsIn).sum();
            System.out.printf("rolling restart from %s (the account's portfolio task, partition %d) after %d outputs, "
                    + "holding %d pending entries; the replacements processed %d records%n", owner.instanceId(),
                    chaos.accountPartition(), outputsAtClose, pendingAtClose, processedByReplacements);
            chaos.assertSameAsUninterrupted(owner.instanceId() + " closed first after " + outputsAtClose + " outputs holding "
                    + pendingAtClose + " pending entries", undrained);
            assertThat(processedByReplacements).as("records processed by the replacements").isPositive();
            chaos.instances.forEach(i -> assertThat(i.output()).as(i.instanceId()).doesNotContain("ERROR"));
        }
    }

    /**
     * SIGTERM (graceful close: hand-over) of {@code leaving}, then a replacement with the same instance id (a
     * StatefulSet's pod: the same consumer name in every group), once the account's task has another owner; its log
     * replaces the leaving one's. @return the replacement, running tasks
     */
    private static InstanceProcess restart(TradingChaos chaos, InstanceProcess leaving) throws java.io.IOException {
        String id = leaving.instanceId();
        assertThat(leaving.terminate(Duration.ofSeconds(30))).as("%s closed within 30 s", id).isTrue();
        assertThat(leaving.output()).as(id).contains("CLOSED clean=true").doesNotContain("ERROR");
        chaos.awaitAccountMovedFrom(id, Duration.ofSeconds(15));
        chaos.instances.remove(leaving);
        InstanceProcess replacement = chaos.start(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> replacement.status().getOrDefault("tasks", "").contains(":RUNNING"));
        return replacement;
    }
}
