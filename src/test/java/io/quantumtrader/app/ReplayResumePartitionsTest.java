package io.quantumtrader.app;

import io.quantumtrader.streams.RedisTestSupport;
import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.Partitioner;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.StreamSpec;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay resumed into a namespace whose ticks stream has several partitions, each holding a different share of the
 * ticks (a crash while their batches were in flight), publishes exactly the ticks each partition lacks. Until
 * 2026-12-06 it resumed at the first tick missing from any partition and sent every later tick again, the other
 * partitions' included: the engine's event-id dedupe skipped them only within its window (1 h), so a replay resumed
 * later processed them twice.
 */
class ReplayResumePartitionsTest {

    @Test
    void eachPartitionGetsOnlyTheTicksItLacks() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = new StreamCatalog(new StreamSpec("*", null, 1, 0, null),
                Map.of(QuantumTraderTopology.TICKS, new StreamSpec(QuantumTraderTopology.TICKS, "symbol", 2, 0, null)));
        String a = symbolOn(0);
        String b = symbolOn(1);
        // 20 ticks, alternating symbols: a at even indexes, b at odd ones
        List<ReplayResume.Published> ticks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ticks.add(new ReplayResume.Published("tick-" + i, i % 2 == 0 ? a : b));
        }
        // the crash: partition 0 (a) got its ticks up to index 14, partition 1 (b) up to index 5
        EventPublisher publisher = new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), catalog, "replay");
        List<EventPublisher.Event> sent = IntStream.range(0, 20)
                .filter(i -> i % 2 == 0 ? i <= 14 : i <= 5)
                .mapToObj(i -> new EventPublisher.Event(QuantumTraderTopology.TICKS, ticks.get(i).key(), "p" + i, 1_000L + i,
                        ticks.get(i).eventId()))
                .toList();
        publisher.sendAll(Flux.fromIterable(sent), 10, false).block();

        ReplayResume.Resume resume = ReplayResume.resume(RedisTestSupport.template(), new StreamKeys(ns), catalog,
                QuantumTraderTopology.TICKS, () -> ticks);
        assertThat(resume.found()).as("ticks the namespace holds").isEqualTo(sent.size()).isEqualTo(11);
        assertThat(resume.from()).as("the first one missing: b's at index 7").isEqualTo(7);
        List<Integer> toPublish = IntStream.range(resume.from(), ticks.size())
                .filter(i -> !resume.published(i, ticks.get(i).key())).boxed().toList();
        assertThat(toPublish).containsExactly(7, 9, 11, 13, 15, 16, 17, 18, 19);
        // the rule before: everything from index 7, a's 8, 10, 12 and 14 again
        assertThat(ticks.size() - resume.from() - toPublish.size()).as("ticks the old rule sent again").isEqualTo(4);
    }

    @Test
    void aFreshNamespaceAndOneHoldingAnotherInputsTicksGetEverything() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = StreamCatalog.defaults();
        List<ReplayResume.Published> ticks = List.of(new ReplayResume.Published("x-0", "BTC-USD"),
                new ReplayResume.Published("x-1", "BTC-USD"));
        ReplayResume.Resume fresh = ReplayResume.resume(RedisTestSupport.template(), new StreamKeys(ns), catalog,
                QuantumTraderTopology.TICKS, () -> ticks);
        assertThat(List.of(fresh.from(), fresh.found())).containsExactly(0, 0);
        new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), catalog, "other")
                .sendAll(Flux.just(new EventPublisher.Event(QuantumTraderTopology.TICKS, "BTC-USD", "p", 1_000L, "another-input")),
                        1, false).block();
        ReplayResume.Resume other = ReplayResume.resume(RedisTestSupport.template(), new StreamKeys(ns), catalog,
                QuantumTraderTopology.TICKS, () -> ticks);
        assertThat(List.of(other.from(), other.found())).containsExactly(0, 0);
        assertThat(other.published(0, "BTC-USD")).isFalse();
    }

    /**
     * A namespace replayed with BTC alone, resumed with an ETH file added whose ticks fall between BTC's (one partition):
     * the last BTC tick is in the input, but the input has twice the ticks up to it that the partition holds. Refused,
     * naming the namespace. Found in review (2026-12-07): the resume took every tick before the partition's last one as
     * published, left out 1,993 of 2,000 ETH ticks, and the report said all were published.
     */
    @Test
    void anInputThatChangedSinceIsRefusedNotResumedWithTicksLeftOut() {
        String ns = RedisTestSupport.freshNamespace();
        StreamCatalog catalog = StreamCatalog.defaults();
        List<ReplayResume.Published> btc = new ArrayList<>();
        List<ReplayResume.Published> both = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            btc.add(new ReplayResume.Published("btc-" + i, "BTC-USD"));
            both.add(new ReplayResume.Published("btc-" + i, "BTC-USD"));
            both.add(new ReplayResume.Published("eth-" + i, "ETH-USD"));
        }
        new EventPublisher(RedisTestSupport.template(), new StreamKeys(ns), catalog, "replay")
                .sendAll(Flux.fromIterable(btc).map(t -> new EventPublisher.Event(QuantumTraderTopology.TICKS, t.key(), "p",
                        1_000L, t.eventId())), 10, false).block();
        assertThat(ReplayResume.resume(RedisTestSupport.template(), new StreamKeys(ns), catalog, QuantumTraderTopology.TICKS,
                () -> btc).found()).as("the same input: all there").isEqualTo(10);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReplayResume.resume(RedisTestSupport.template(),
                        new StreamKeys(ns), catalog, QuantumTraderTopology.TICKS, () -> both))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("namespace '" + ns + "' holds 10 ticks in partition 0 of market.tick.price, but this "
                        + "run's input has 19 ticks up to the last of them")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.INPUT));
    }

    /** @return a symbol the ticks stream's two partitions place on {@code partition} */
    private static String symbolOn(int partition) {
        for (int i = 0; ; i++) {
            String s = "SYM" + i;
            if (Partitioner.partition(s, 2) == partition) {
                return s;
            }
        }
    }
}
