package io.quantumtrader.trader;

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
        try (TradingChaos chaos = new TradingChaos("failover")) {
            // the kill: once the account's task has opened a position, whoever holds it, while it holds read and
            // unacknowledged entries, so that their claim by the new owners is tested
            TradingChaos.Target victim = chaos.startThreeAndTarget(chaos.ticks.size() / 2);
            String owner = victim.id();
            victim.instance().kill9();
            chaos.release();

            chaos.awaitAccountMovedFrom(owner, Duration.ofSeconds(30));
            List<String> undrained = chaos.awaitDrained();
            System.out.printf("kill -9 of %s (the account's portfolio task, partition %d) after %d outputs, holding %d "
                    + "pending entries%n", owner, chaos.accountPartition(), victim.outputs(), victim.pending());
            chaos.assertSameAsUninterrupted(owner + " killed after " + victim.outputs() + " outputs holding "
                    + victim.pending() + " pending entries", undrained);
            chaos.instances.stream().filter(i -> i != victim.instance())
                    .forEach(i -> assertThat(i.output()).doesNotContain("ERROR"));
        }
    }
}
