package io.quantumtrader.streams.runtime;

import io.quantumtrader.streams.redis.CommitSequenceException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CommitOrder}: a commit refused out of sequence is sent again once, after its predecessor landed; never when
 * the predecessor failed. Redis is stood in for by a sequence counter with commit.lua's rule (a commit applies only
 * right after its predecessor).
 */
class CommitOrderTest {

    /** commit.lua's sequence check: the last applied sequence; a commit of another sequence than the next is refused. */
    private final AtomicInteger applied = new AtomicInteger();

    private Mono<Long> commit(int seq, AtomicInteger sent) {
        return Mono.defer(() -> {
            sent.incrementAndGet();
            return applied.compareAndSet(seq - 1, seq) ? Mono.just((long) seq)
                    : Mono.error(new CommitSequenceException("OUT_OF_SEQUENCE commit " + seq + " after " + applied.get()));
        });
    }

    @Test
    void aCommitThatOvertookItsPredecessorIsSentAgainOnceThePredecessorLanded() {
        AtomicInteger resent = new AtomicInteger();
        CommitOrder order = new CommitOrder(resent::incrementAndGet);
        Sinks.One<Long> firstHeld = Sinks.one(); // commit 1 waits (a TRYAGAIN, a connection opening)
        AtomicInteger sent1 = new AtomicInteger();
        AtomicInteger sent2 = new AtomicInteger();
        CompletableFuture<Long> first = order.send(firstHeld.asMono().then(commit(1, sent1)), m -> m);
        CompletableFuture<Long> second = order.send(commit(2, sent2), m -> m);
        assertThat(second).as("waits for commit 1").isNotDone();
        assertThat(sent2).as("refused once").hasValue(1);

        firstHeld.tryEmitValue(0L);
        assertThat(first).isCompletedWithValue(1L);
        assertThat(second).isCompletedWithValue(2L);
        assertThat(sent2).as("sent again once").hasValue(2);
        assertThat(resent).hasValue(1);
    }

    @Test
    void whenThePredecessorFailedTheRefusalStands() {
        AtomicInteger resent = new AtomicInteger();
        CommitOrder order = new CommitOrder(resent::incrementAndGet);
        Sinks.One<Long> firstFails = Sinks.one();
        AtomicInteger sent2 = new AtomicInteger();
        CompletableFuture<Long> first = order.send(firstFails.asMono(), m -> m);
        CompletableFuture<Long> second = order.send(commit(2, sent2), m -> m);
        firstFails.tryEmitError(new IllegalStateException("connection lost"));
        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        org.assertj.core.api.Assertions.assertThatThrownBy(second::join).hasCauseInstanceOf(CommitSequenceException.class);
        // its one-line description (the restart WARN) names the predecessor's failure, not only the refusal
        Throwable refusal = second.handle((v, e) -> e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e).join();
        assertThat(CauseMessages.of(refusal)).contains("the commit before this one failed").contains("connection lost");
        assertThat(sent2).as("not sent again").hasValue(1);
        assertThat(resent).hasValue(0);
    }

    @Test
    void inOrderCommitsAreSentOnceAndAFirstCommitsRefusalIsNotRetried() {
        AtomicInteger resent = new AtomicInteger();
        CommitOrder order = new CommitOrder(resent::incrementAndGet);
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Long> outOfSequence = order.send(commit(5, sent), m -> m);
        assertThat(outOfSequence).as("no predecessor in this run: the refusal stands").isCompletedExceptionally();
        CommitOrder fresh = new CommitOrder(resent::incrementAndGet);
        assertThat(fresh.send(commit(1, sent), m -> m)).isCompletedWithValue(1L);
        assertThat(fresh.send(commit(2, sent), m -> m)).isCompletedWithValue(2L);
        assertThat(sent).hasValue(3);
        assertThat(resent).hasValue(0);
    }

    @Test
    void theOutcomeOperatorSeesOneOutcomePerCommitResendIncluded() {
        CommitOrder order = new CommitOrder(() -> { });
        Sinks.One<Long> firstHeld = Sinks.one();
        AtomicInteger outcomes = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        order.send(firstHeld.asMono().then(commit(1, new AtomicInteger())), m -> m);
        CompletableFuture<Long> second = order.send(commit(2, new AtomicInteger()),
                m -> m.doOnNext(v -> outcomes.incrementAndGet()).doOnError(e -> errors.incrementAndGet()));
        firstHeld.tryEmitValue(0L);
        assertThat(second).isCompletedWithValue(2L);
        assertThat(outcomes).hasValue(1);
        assertThat(errors).as("the first refusal is not reported as a failure").hasValue(0);
    }
}
