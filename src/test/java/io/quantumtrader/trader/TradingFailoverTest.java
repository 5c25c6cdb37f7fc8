package io.quantumtrader.trader;

import io.quantumtrader.streams.scaleout.InstanceProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trading topology on three instances, each a child JVM, with 5 partitions for every stream keyed by symbol or
 * account (the symbol's and the account's differ); the instance that holds the portfolio task of the account is killed with {@code kill -9} while ticks still
 * arrive, after it opened positions. Its leases expire (TTL 2 s), the survivors take its tasks and its pending entries,
 * and every event the topology writes equals an uninterrupted single-instance run's, tick by tick
 * ({@link TradingFixtures#outputsByOrigin}): no fill, position or P&amp;L event lost, written twice or changed.
 */
class TradingFailoverTest {

    @Test
    void theOwnerOfTheAccountKilledMidStreamChangesNoEventTheTopologyWrites() throws Exception {
        TradingChaos chaos = new TradingChaos("failover");
        try {
            for (String id : List.of("a", "b", "c")) {
                chaos.start(id);
            }
            chaos.publish(chaos.ticks.size() / 2);
            // the kill: once the account's task has opened a position, whoever holds it, while it holds read and
            // unacknowledged entries, so that their claim by the new owners is tested
            InstanceProcess victim = chaos.ownerOnceAPositionIsOpen();
            String owner = victim.instanceId();
            long pendingAtKill = chaos.awaitPending(owner);
            long outputsAtKill = chaos.total();
            victim.kill9();
            chaos.release();

            chaos.awaitAccountMovedFrom(owner, Duration.ofSeconds(30));
            List<String> undrained = chaos.awaitDrained();
            System.out.printf("kill -9 of %s (the account's portfolio task, partition %d) after %d outputs, holding %d "
                    + "pending entries%n", owner, chaos.accountPartition(), outputsAtKill, pendingAtKill);
            chaos.assertSameAsUninterrupted(owner + " killed after " + outputsAtKill + " outputs holding " + pendingAtKill
                    + " pending entries", undrained);
            chaos.instances.stream().filter(i -> i != victim).forEach(i -> assertThat(i.output()).doesNotContain("ERROR"));
        } finally {
            chaos.close();
        }
    }
}
