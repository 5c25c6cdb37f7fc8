package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResilientPassTest {

    @Test
    void sumsTheCountsOfEveryItem() {
        StepVerifier.create(ResilientPass.over("trim", "partitions", List.of(1L, 2L, 3L), String::valueOf, Mono::just))
                .expectNext(6L).verifyComplete();
    }

    @Test
    void anItemThatFailsDoesNotStopThePassWhichThenFailsNamingTheFirst() {
        List<String> done = new ArrayList<>();
        StepVerifier.create(ResilientPass.over("trim", "partitions", List.of("a", "b", "c", "d"), k -> "key " + k, k -> {
                    if (k.equals("b") || k.equals("c")) {
                        return Mono.error(new IllegalStateException("WRONGTYPE of " + k));
                    }
                    done.add(k);
                    return Mono.just(10L);
                }))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessage("could not trim 2 of 4 partitions, first key b: WRONGTYPE of b (the others: 20)"))
                .verify();
        assertThat(done).containsExactly("a", "d");
    }

    @Test
    void anItemThatThrowsInsteadOfReturningAnErrorIsCountedAsFailed() {
        StepVerifier.create(ResilientPass.over("check", "tasks", List.of("x", "y"), k -> k, k -> {
                    if (k.equals("x")) {
                        throw new IllegalArgumentException("bad");
                    }
                    return Mono.just(1L);
                }))
                .expectErrorMessage("could not check 1 of 2 tasks, first x: bad (the others: 1)")
                .verify();
    }

    @Test
    void noItemsIsZero() {
        StepVerifier.create(ResilientPass.over("trim", "partitions", List.<String>of(), k -> k, k -> Mono.just(1L)))
                .expectNext(0L).verifyComplete();
    }
}
