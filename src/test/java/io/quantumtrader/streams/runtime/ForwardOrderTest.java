package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ForwardOrder}: positions in Kafka Streams' depth-first order, as ranges split at every node. */
class ForwardOrderTest {

    @Test
    void ordersByInputPositionThenDepthFirstPath() {
        ForwardOrder inputs = new ForwardOrder();
        inputs.addInput(0);
        inputs.addInput(1);
        // a node with two outputs per input; its child number 1 of 2 and child number 0 of 2 meet again
        ForwardOrder outputs = new ForwardOrder();
        for (int i = 0; i < 2; i++) {
            outputs.addPart(inputs, i, 0, 2);
            outputs.addPart(inputs, i, 1, 2);
        }
        ForwardOrder met = new ForwardOrder();
        List<String> records = new ArrayList<>();
        for (int child : new int[] {1, 0}) {   // listed second child first, as a merge's parents may be
            for (int o = 0; o < 4; o++) {
                met.addPart(outputs, o, child, 2);
                records.add("in" + (o / 2) + ".out" + (o % 2) + ".child" + child);
            }
        }
        assertThat(met.sort(records)).containsExactly("in0.out0.child0", "in0.out0.child1", "in0.out1.child0",
                "in0.out1.child1", "in1.out0.child0", "in1.out0.child1", "in1.out1.child0", "in1.out1.child1");
        assertThat(met.inOrder()).isTrue();
    }

    /**
     * What a node makes after its input record went through the sub-topology (a stream-time punctuation) comes after
     * every path of that input record, a later node's after an earlier node's, and before the next input record.
     */
    @Test
    void recordsMadeAfterTheRecordComeAfterAllItsPathsAndBeforeTheNextRecord() {
        ForwardOrder inputs = new ForwardOrder();
        inputs.addInput(0);
        inputs.addInput(1);
        ForwardOrder met = new ForwardOrder();
        List<String> records = new ArrayList<>();
        met.addAfter(inputs, 0, 3, 5, 0, 1);
        records.add("in0.after-node3");
        met.addAfter(inputs, 0, 1, 5, 1, 2);
        records.add("in0.after-node1.1");
        met.addAfter(inputs, 0, 1, 5, 0, 2);
        records.add("in0.after-node1.0");
        met.addPart(inputs, 1, 0, 2);
        records.add("in1.child0");
        met.addPart(inputs, 0, 1, 2);   // the last child of input 0: the end of its paths
        records.add("in0.child1");
        met.addPart(inputs, 0, 0, 2);
        records.add("in0.child0");
        assertThat(met.sort(records)).containsExactly("in0.child0", "in0.child1", "in0.after-node1.0",
                "in0.after-node1.1", "in0.after-node3", "in1.child0");
    }

    @Test
    void aHundredThousandOutputsOfOneRecordKeepTheirOrder() {
        ForwardOrder input = new ForwardOrder();
        input.addInput(0);
        ForwardOrder outputs = new ForwardOrder();
        int n = 100_000;
        for (int j = n - 1; j >= 0; j--) {
            outputs.addPart(input, 0, j, n);
        }
        List<Integer> sorted = outputs.sort(IntStream.range(0, n).map(i -> n - 1 - i).boxed().toList());
        assertThat(sorted).isEqualTo(IntStream.range(0, n).boxed().toList());
    }

    /** Past 63 binary splits the ranges are used up: records tie and keep the order they were listed in. */
    @Test
    void pathsDeeperThanTheRangeTieInListedOrder() {
        ForwardOrder order = new ForwardOrder();
        order.addInput(0);
        for (int depth = 0; depth < 70; depth++) {
            ForwardOrder next = new ForwardOrder();
            next.addPart(order, 0, 0, 2);
            order = next;
        }
        ForwardOrder deep = new ForwardOrder();
        deep.addPart(order, 0, 1, 2);
        deep.addPart(order, 0, 0, 2);
        assertThat(deep.sort(List.of("second", "first"))).containsExactly("second", "first");
    }

    /**
     * A sort allocates arrays of the positions there are, not of the capacity: after one record fanned out to 100,000
     * the capacity stayed that large, and every later sort of a few positions allocated it again (each later small
     * record ~35x slower; found in review, 2026-12-06).
     */
    @Test
    void aSortAfterALargeFanOutAllocatesForThePositionsThereAre() {
        ForwardOrder order = new ForwardOrder();
        for (int i = 0; i < 100_000; i++) {
            order.addInput(i);
        }
        assertThat(order.capacity()).isGreaterThanOrEqualTo(100_000);
        order.clear();
        order.addInput(2);
        order.addInput(1);
        order.addInput(0);
        assertThat(order.sort(List.of("c", "b", "a"))).containsExactly("a", "b", "c");
        assertThat(order.capacity()).as("the sorted arrays' length").isLessThan(100);
    }
}
