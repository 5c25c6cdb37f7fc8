package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.FencedReadConnection;
import io.quantumtrader.streams.redis.RawStreamEntry;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.redis.TaskFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.quantumtrader.streams.RedisTestSupport.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12, reads without a Lua round trip: a fenced read is a transaction (MULTI, a lease check, XREADGROUP, the
 * undo, EXEC). Under the caller's lease it returns what XREADGROUP returns; under a lease that changed hands it fails
 * and leaves the consumer group as if the read had never happened, so the new owner reads those entries in order and
 * what the zombie read legitimately before stays pending for the takeover's claim.
 */
class FencedReadTest {

    private static final Duration T = Duration.ofSeconds(10);

    private final ReactiveStringRedisTemplate redis = template();
    private FencedReadConnection reads;
    private String stream;
    private String lease;
    private String scratch;
    private final List<String> ids = new ArrayList<>();
    private io.quantumtrader.streams.redis.ReadStreams names;

    @BeforeEach
    void tenEntriesAndAGroup() {
        reads = FencedReadConnection.open(redis).orElseThrow();
        String ns = RedisTestSupport.freshNamespace();
        StreamKeys keys = new StreamKeys(ns);
        stream = keys.stream("ticks", 0);
        lease = keys.lease("g", 0);
        scratch = keys.fencedRead("g", 0);
        names = new io.quantumtrader.streams.redis.ReadStreams(Map.of(stream, "ticks"), "0_0", 0);
        redis.opsForStream().createGroup(stream, ReadOffset.from("0-0"), "g").onErrorComplete().block(T);
        for (int i = 0; i < 10; i++) {
            ids.add(redis.opsForStream().add(stream, Map.of("n", Integer.toString(i))).block(T).getValue());
        }
    }

    @AfterEach
    void close() {
        reads.close();
    }

    @Test
    void underItsLeaseAReadIsXreadgroupNewEntriesThenPendingOnes() {
        redis.opsForValue().set(lease, "1").block(T);
        List<RawStreamEntry> first = read("1", "owner", ">", 4);
        assertThat(idsOf(first)).containsExactlyElementsOf(ids.subList(0, 4));
        assertThat(first.get(2).fieldsAndValues()).extracting(String::new).containsExactly("n", "2");
        assertThat(new String(first.get(2).stream())).isEqualTo(stream);
        assertThat(idsOf(read("1", "owner", ">", 4))).containsExactlyElementsOf(ids.subList(4, 8));
        // re-reading the consumer's own pending entries after an id
        assertThat(idsOf(read("1", "owner", ids.get(1), 10))).containsExactlyElementsOf(ids.subList(2, 8));
        assertThat(pending().getPendingMessagesPerConsumer()).containsEntry("owner", 8L);
        assertThat(redis.hasKey(scratch).block(T)).isFalse();
    }

    @Test
    void aReadUnderALostLeaseIsUndoneAndTheNewOwnerReadsInOrder() {
        redis.opsForValue().set(lease, "1").block(T);
        assertThat(idsOf(read("1", "zombie", ">", 3))).containsExactlyElementsOf(ids.subList(0, 3));
        redis.opsForValue().set(lease, "2").block(T); // the lease changed hands: token 2 is the new owner's

        assertThatThrownBy(() -> read("1", "zombie", ">", 5)).isInstanceOf(TaskFencedException.class)
                .hasMessageContaining("no longer held by token 1");

        PendingMessages zombie = redis.opsForStream().pending(stream, Consumer.from("g", "zombie"), Range.unbounded(), 100).block(T);
        assertThat(zombie.stream().map(p -> p.getIdAsString()).toList())
                .as("only what it read under its own lease stays pending (the new owner claims it)")
                .containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(redis.opsForStream().groups(stream).blockFirst(T).lastDeliveredId())
                .as("the group's position is back where it was").isEqualTo(ids.get(2));
        assertThat(redis.hasKey(scratch).block(T)).as("the undo's notes are gone").isFalse();

        List<RawStreamEntry> owner = read("2", "owner", ">", 5);
        assertThat(idsOf(owner)).as("the new owner reads what the zombie's read took, in order")
                .containsExactlyElementsOf(ids.subList(3, 8));
        // the group's lag as XINFO reports it is right again: 2 entries left
        assertThat(redis.opsForStream().read(Consumer.from("g", "owner"), StreamReadOptions.empty().count(100),
                StreamOffset.create(stream, ReadOffset.lastConsumed())).collectList().block(T)).hasSize(2);
    }

    @Test
    void withoutALeaseAtAllNothingIsRead() {
        assertThatThrownBy(() -> read("1", "zombie", ">", 5)).isInstanceOf(TaskFencedException.class);
        assertThat(pending().getTotalPendingMessages()).isZero();
    }

    @Test
    void aReadOfAMissingGroupFailsWithRedisError() {
        redis.opsForValue().set(lease, "1").block(T);
        assertThatThrownBy(() -> reads.read(lease, scratch, "1", "nogroup", "c", List.of(stream), List.of(">"), List.of("-"), 5, names).map(io.quantumtrader.streams.redis.GroupRead::entries).block(T))
                .hasMessageContaining("NOGROUP");
    }

    @Test
    void underMaxmemoryWithNoevictionReadsGoOnAsXreadgroupDoes() {
        try (io.quantumtrader.app.RedisConnection own = io.quantumtrader.app.RedisConnection.embedded();
             FencedReadConnection ownReads = FencedReadConnection.open(own.template()).orElseThrow()) {
            ReactiveStringRedisTemplate r = own.template();
            r.opsForStream().createGroup(stream, ReadOffset.from("0-0"), "g").onErrorComplete().block(T);
            for (int i = 0; i < 3; i++) {
                r.opsForStream().add(stream, Map.of("n", Integer.toString(i))).block(T);
            }
            r.opsForValue().set(lease, "1").block(T);
            r.execute(c -> c.serverCommands().setConfig("maxmemory-policy", "noeviction")).blockLast(T);
            r.execute(c -> c.serverCommands().setConfig("maxmemory", "1")).blockLast(T);
            try {
                // Redis refuses every command queued in a MULTI when out of memory: the read must still succeed
                assertThat(ownReads.read(lease, scratch, "1", "g", "c", List.of(stream), List.of(">"), List.of("-"), 10, names).map(io.quantumtrader.streams.redis.GroupRead::entries).block(T)).hasSize(3);
                assertThat(ownReads.read(lease, scratch, "1", "g", "c", List.of(stream), List.of("0"), List.of("-"), 10, names).map(io.quantumtrader.streams.redis.GroupRead::entries).block(T))
                        .as("the consumer's pending entries, re-read after a restart").hasSize(3);
                assertThatThrownBy(() -> ownReads.read(lease, scratch, "2", "g", "c", List.of(stream), List.of(">"), List.of("-"), 10, names).map(io.quantumtrader.streams.redis.GroupRead::entries).block(T))
                        .as("still fenced").isInstanceOf(TaskFencedException.class);
            } finally {
                r.execute(c -> c.serverCommands().setConfig("maxmemory", "0")).blockLast(T);
            }
        }
    }

    /**
     * CI stop 17: a task revoked while its reader's fenced read was in flight logged "Operator called default
     * onErrorDropped" (ERROR) with the read's TaskFencedException — the cancel raced the reply's error. A stopped
     * reader drops late replies itself, and what still races the cancel goes to the subscription's LateErrors context
     * (DEBUG), never to Reactor's global dropped-error hook.
     */
    @Test
    void aReaderCancelledWhileAFencedReadIsInFlightDropsNoErrorOnTheFloor() throws InterruptedException {
        redis.opsForValue().set(lease, "2").block(T); // every read of token 1 is fenced
        List<Throwable> dropped = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        reactor.core.publisher.Hooks.onErrorDropped(dropped::add);
        try {
            java.util.Random random = new java.util.Random(17);
            for (int i = 0; i < 400; i++) {
                io.quantumtrader.streams.redis.PartitionReader reader = new io.quantumtrader.streams.redis.PartitionReader(
                        redis, "g", "zombie", Map.of(stream, "ticks"), 0, 10, Duration.ofMillis(1), Duration.ofMillis(10),
                        lease, "1", reads, scratch);
                // as TaskManager subscribes a task (without the context, this test saw Reactor drop FENCED errors)
                reactor.core.Disposable subscription = reader.receive().subscribe(e -> { }, delivered::add, null,
                        io.quantumtrader.streams.runtime.LateErrors.context("reader " + i, org.slf4j.LoggerFactory.getLogger(FencedReadTest.class)));
                long until = System.nanoTime() + random.nextInt(1_500_000); // 0-1.5 ms: before, during or after the reply
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                subscription.dispose();
            }
            Thread.sleep(200); // replies still in flight come back
        } finally {
            reactor.core.publisher.Hooks.resetOnErrorDropped();
        }
        assertThat(dropped).as("errors Reactor dropped (logged at ERROR)").isEmpty();
        assertThat(delivered).as("a reader not cancelled in time gets its FENCED error").isNotEmpty()
                .allMatch(e -> e instanceof TaskFencedException);
        assertThat(pending().getTotalPendingMessages()).as("every read was undone").isZero();
    }

    /**
     * A fenced read whose subscriber goes away before Lettuce wrote its commands (the reader's read timeout cancels
     * it): Lettuce skips a command that is already done when its I/O thread comes to write it, so a cancelled
     * {@code EXEC} left {@code MULTI} and the queued commands open on the connection — the next read's {@code MULTI}
     * failed ("MULTI calls can not be nested"), its {@code EXEC} ran both reads' commands and the replies went to the
     * wrong read, leaving entries pending that no one processed (a replay of 2026-12-03 never drained, with one failed
     * {@code MULTI} in Redis' command statistics). A read is all five commands or none: cancelling the subscriber never
     * reaches the commands.
     */
    @Test
    void aReadCancelledBeforeItsCommandsWereWrittenStillSendsTheWholeTransaction() throws Exception {
        redis.opsForValue().set(lease, "1").block(T);
        long failedMultis = failedMultis();
        io.netty.channel.Channel channel = LettuceChannel.of(reads);
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        channel.eventLoop().execute(() -> { // the connection's I/O thread is busy until released
            busy.countDown();
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // queued and flushed to the I/O thread, then cancelled before that thread could write it
        reactor.core.Disposable subscription = reads.read(lease, scratch, "1", "g", "owner", List.of(stream), List.of(">"), List.of("-"), 3, names).map(io.quantumtrader.streams.redis.GroupRead::entries).subscribe();
        io.netty.util.concurrent.SingleThreadEventExecutor loop = (io.netty.util.concurrent.SingleThreadEventExecutor) channel.eventLoop();
        long until = System.nanoTime() + T.toNanos();
        while (loop.pendingTasks() < 5 && System.nanoTime() < until) { // the dispatcher thread sent the five commands
            Thread.sleep(1);
        }
        assertThat(loop.pendingTasks()).as("the read's writes wait for the I/O thread").isGreaterThanOrEqualTo(5);
        subscription.dispose();
        release.countDown();

        assertThat(idsOf(read("1", "owner", ">", 3))).as("the next read gets the entries after the cancelled read's")
                .containsExactlyElementsOf(ids.subList(3, 6));
        assertThat(idsOf(read("1", "owner", "0", 10))).as("the cancelled read took its entries into the consumer's PEL "
                + "(re-read after a restart), the next read its own").containsExactlyElementsOf(ids.subList(0, 6));
        assertThat(failedMultis()).as("no MULTI was nested in another").isEqualTo(failedMultis);
    }

    /**
     * A second read dispatched from the connection's own I/O thread while the first read's commands are being written.
     * Lettuce hands each of a read's five commands to Netty as its own write; from another thread each becomes a task
     * of the I/O thread, and a read dispatched on that thread (a reply's continuation) writes at once, between them.
     * Redis then got {@code MULTI; EVAL; MULTI; EVAL; XREADGROUP; EVAL; EXEC; XREADGROUP; EVAL; EXEC}: the second
     * {@code EXEC} ran the first read's lease check with the second read, the first read's {@code XREADGROUP} ran
     * outside any transaction and its {@code EXEC} failed ("EXEC without MULTI"), and the second read's reply, one
     * element longer than Lettuce expected, failed with a {@code NullPointerException} (seen together in 2 of 14 README
     * replays on 2026-12-03, each restarting two tasks). Here the first read's second write dispatches the other read.
     */
    @Test
    void aReadDispatchedFromTheConnectionsIoThreadNeverLandsInsideAnotherReadsTransaction() throws Exception {
        redis.opsForValue().set(lease, "1").block(T);
        long failedMultis = failedMultis();
        long failedExecs = failedCalls("cmdstat_exec");
        io.netty.channel.Channel channel = LettuceChannel.of(reads);
        java.util.concurrent.CompletableFuture<List<RawStreamEntry>> second = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        channel.pipeline().addFirst("dispatch-inside-a-read", new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                ctx.write(msg, promise);
                if (writes.incrementAndGet() == 2) { // MULTI and the lease check of the first read are written
                    reads.read(lease, scratch, "1", "g", "owner", List.of(stream), List.of(">"), List.of("-"), 3, names).map(io.quantumtrader.streams.redis.GroupRead::entries).subscribe(
                            second::complete, second::completeExceptionally);
                }
            }
        });
        try {
            List<RawStreamEntry> first = read("1", "owner", ">", 3);
            assertThat(idsOf(first)).as("the first read").containsExactlyElementsOf(ids.subList(0, 3));
            assertThat(idsOf(second.get(10, java.util.concurrent.TimeUnit.SECONDS))).as("the read dispatched meanwhile")
                    .containsExactlyElementsOf(ids.subList(3, 6));
        } finally {
            channel.pipeline().remove("dispatch-inside-a-read");
        }
        assertThat(writes.get()).as("both reads went through the probe").isGreaterThanOrEqualTo(10);
        assertThat(failedMultis()).as("no MULTI was nested in another").isEqualTo(failedMultis);
        assertThat(failedCalls("cmdstat_exec")).as("no EXEC without its MULTI").isEqualTo(failedExecs);
        assertThat(pending().getTotalPendingMessages()).isEqualTo(6);
    }

    /** @return MULTIs that failed on the test's Redis so far (INFO commandstats: a nested MULTI fails) */
    private long failedMultis() {
        return failedCalls("cmdstat_multi");
    }

    /** @return failed calls of one command on the test's Redis so far ({@code INFO commandstats}, e.g. {@code cmdstat_exec}) */
    private long failedCalls(String stat) {
        String line = redis.execute(c -> c.serverCommands().info("commandstats")).blockFirst(T).getProperty(stat);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("failed_calls=(\\d+)").matcher(String.valueOf(line));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private List<RawStreamEntry> read(String token, String consumer, String offset, int count) {
        return reads.read(lease, scratch, token, "g", consumer, List.of(stream), List.of(offset), List.of("-"), count, names).map(io.quantumtrader.streams.redis.GroupRead::entries).block(T);
    }

    private PendingMessagesSummary pending() {
        return redis.opsForStream().pending(stream, "g").block(T);
    }

    private static List<String> idsOf(List<RawStreamEntry> messages) {
        return messages.stream().map(RawStreamEntry::idString).toList();
    }
}
