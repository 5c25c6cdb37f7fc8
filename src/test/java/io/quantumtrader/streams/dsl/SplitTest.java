package io.quantumtrader.streams.dsl;

import io.quantumtrader.streams.Tick;
import io.quantumtrader.streams.testing.TestInputStream;
import io.quantumtrader.streams.testing.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code split()} as Kafka Streams' {@code KStreamBranch}: the predicates are evaluated once per record, in order, up
 * to the first that matches, and the record goes to that branch only. Each branch node used to evaluate every earlier
 * predicate again, so a predicate with a changing answer sent a record to two branches or to none.
 */
class SplitTest {

    @Test
    void eachPredicateIsEvaluatedOncePerRecordUpToTheFirstMatch() {
        AtomicInteger evenCalls = new AtomicInteger();
        AtomicInteger oddCalls = new AtomicInteger();
        TopologyBuilder b = new TopologyBuilder("split");
        b.stream("ticks", Tick.class).split(Named.as("by-parity-"))
                .branch((k, t) -> evenCalls.incrementAndGet() > 0 && t.seq() % 2 == 0, Branched.withConsumer(s -> s.to("even")))
                .branch((k, t) -> oddCalls.incrementAndGet() > 0, Branched.withConsumer(s -> s.to("odd")))
                .defaultBranch(Branched.withConsumer(s -> s.to("other")));
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            TestInputStream<Tick> in = driver.createInputStream("ticks");
            for (int i = 1; i <= 10; i++) {
                in.pipeInput("A", new Tick("A", 1, i), i);
            }
            assertThat(seqs(driver, "even")).containsExactly(2L, 4L, 6L, 8L, 10L);
            assertThat(seqs(driver, "odd")).containsExactly(1L, 3L, 5L, 7L, 9L);
            assertThat(seqs(driver, "other")).isEmpty();
        }
        assertThat(evenCalls).as("the first predicate: once per record").hasValue(10);
        assertThat(oddCalls).as("the second: once per record the first did not take").hasValue(5);
    }

    @Test
    void aPredicateWhoseAnswerChangesStillSendsEachRecordToExactlyOneBranch() {
        AtomicInteger calls = new AtomicInteger();
        TopologyBuilder b = new TopologyBuilder("split");
        b.stream("ticks", Tick.class).split(Named.as("sampled-"))
                .branch((k, t) -> calls.incrementAndGet() % 2 == 0, Branched.withConsumer(s -> s.to("sampled")))
                .defaultBranch(Branched.withConsumer(s -> s.to("rest")));
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build())) {
            TestInputStream<Tick> in = driver.createInputStream("ticks");
            for (int i = 1; i <= 10; i++) {
                in.pipeInput("A", new Tick("A", 1, i), i);
            }
            List<Long> sampled = seqs(driver, "sampled");
            List<Long> rest = seqs(driver, "rest");
            assertThat(sampled).hasSize(5);
            assertThat(sampled.size() + rest.size()).as("every record once").isEqualTo(10);
            assertThat(sampled).doesNotContainAnyElementsOf(rest);
        }
    }

    private static List<Long> seqs(TopologyTestDriver driver, String stream) {
        return driver.createOutputStream(stream, Tick.class).readRecordsToList().stream().map(r -> r.value().seq()).toList();
    }
}
