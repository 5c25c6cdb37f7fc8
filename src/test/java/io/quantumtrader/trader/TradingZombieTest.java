package io.quantumtrader.trader;

import io.quantumtrader.streams.scaleout.InstanceProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trading topology on three child JVMs ({@link TradingChaos}: 5 partitions, lease TTL 2 s), the owner of the
 * account's portfolio task disrupted while it holds pending entries and ticks still arrive: frozen with SIGSTOP past
 * its leases (a zombie: fenced once resumed), or closed with SIGTERM and replaced (a rolling restart). Every event the
 * topology writes equals an uninterrupted single-instance run's, tick by tick, and nothing is left unread or pending.
 */
class TradingZombieTest {

    @Test
    void theOwnerOfTheAccountFrozenPastItsLeasesIsFencedAndChangesNoEventTheTopologyWrites() throws Exception {
        TradingChaos chaos = new TradingChaos("zombie");
        try {
            for (String id : List.of("a", "b", "c")) {
                chaos.start(id);
            }
            // held at half until the freeze, at three quarters until the zombie was resumed
            chaos.publish(chaos.ticks.size() / 2, chaos.ticks.size() * 3 / 4);
            InstanceProcess zombie = chaos.ownerOnceAPositionIsOpen();
            String owner = zombie.instanceId();
            long pendingAtPause = chaos.awaitPending(owner);
            long outputsAtPause = chaos.total();
            zombie.pause();
            chaos.release();

            // its leases expire, the survivors take the account's task and process on while it is frozen
            await().atMost(TradingChaos.TTL.plusSeconds(15)).until(() -> {
                String now = chaos.accountOwner();
                return now != null && !now.equals(owner);
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> chaos.total() > outputsAtPause + 1000);
            long processedBeforeResume = zombie.recordsIn();
            zombie.resume();

            // it finds itself fenced (or its leases not renewed in time) and stops those tasks without committing
            await().atMost(Duration.ofSeconds(10)).until(() -> zombie.output().contains("revoked (fenced)")
                    || zombie.output().contains("revoked (lease.expiring)"));
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
        } finally {
            chaos.close();
        }
    }

    @Test
    void theOwnerOfTheAccountClosedMidStreamAndReplacedChangesNoEventTheTopologyWrites() throws Exception {
        TradingChaos chaos = new TradingChaos("rolling");
        try {
            for (String id : List.of("a", "b", "c")) {
                chaos.start(id);
            }
            // held at half until the close, at three quarters until the replacement started
            chaos.publish(chaos.ticks.size() / 2, chaos.ticks.size() * 3 / 4);
            InstanceProcess leaving = chaos.ownerOnceAPositionIsOpen();
            String owner = leaving.instanceId();
            long pendingAtClose = chaos.awaitPending(owner);
            long outputsAtClose = chaos.total();
            chaos.release();
            assertThat(leaving.terminate(Duration.ofSeconds(30))).as("closed within 30 s").isTrue();
            assertThat(leaving.output()).contains("CLOSED clean=true");

            await().atMost(Duration.ofSeconds(15)).until(() -> {
                String now = chaos.accountOwner();
                return now != null && !now.equals(owner);
            });
            chaos.start("d");
            chaos.release();
            List<String> undrained = chaos.awaitDrained();
            System.out.printf("SIGTERM of %s (the account's portfolio task, partition %d) after %d outputs, holding %d "
                    + "pending entries, replaced by d%n", owner, chaos.accountPartition(), outputsAtClose, pendingAtClose);
            chaos.assertSameAsUninterrupted(owner + " closed after " + outputsAtClose + " outputs holding " + pendingAtClose
                    + " pending entries", undrained);
            chaos.instances.forEach(i -> assertThat(i.output()).as(i.instanceId()).doesNotContain("ERROR"));
        } finally {
            chaos.close();
        }
    }
}
