package io.quantumtrader.streams;

import io.quantumtrader.streams.redis.EventPublisher;
import io.quantumtrader.streams.redis.ScriptRefusedException;
import io.quantumtrader.streams.redis.StreamCatalog;
import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.streams.runtime.IngestLimits;
import io.quantumtrader.streams.runtime.RuntimeState;
import io.quantumtrader.streams.runtime.StreamsConfig;
import io.quantumtrader.streams.runtime.StreamsRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer group destroyed (XGROUP DESTROY, or lost in a partial loss of Redis' data) while its stream keeps the
 * entries its task committed. Found in review (2026-12-07, Redis losing data): the task, or the next start, made the
 * group again from id 0 and processed every retained entry again: beyond the dedupe window (1 h or 200,000 ids by
 * default; 5 ids here to stand for it) 20 outputs became 40. Now the group is not made again: the running task stops
 * (persistent refusal, runtime ERROR, as docs/OPERATIONS.md promised for "a destroyed consumer group"), a start fails,
 * each naming the {@code XGROUP CREATE} that resumes after the committed entries; made so, nothing is processed twice.
 */
class DestroyedGroupTest {

    private final ReactiveStringRedisTemplate redis = RedisTestSupport.template();
    private final String ns = RedisTestSupport.freshNamespace();
    private final StreamsConfig config = StreamsConfig.defaults().withNamespace(ns).withInstanceId("only").withBatchSize(10)
            .withLeaseTtl(Duration.ofSeconds(2)).withIngest(IngestLimits.defaults().withDedupe(Duration.ofHours(1), 5));

    @Test
    void aGroupDestroyedUnderARunningTaskStopsItInsteadOfProcessingItsEntriesAgain() throws Exception {
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            publish(1, 20);
            await().atMost(Duration.ofSeconds(20)).until(() -> outputs() == 20);
            destroyGroups();
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.state() == RuntimeState.ERROR);
            Thread.sleep(2000);
            assertThat(outputs()).as("outputs of 20 ticks after their consumer group was destroyed (records in: %d, "
                    + "groups recreated: %d)", runtime.counters().recordsIn(), runtime.counters().groupsRecreated()).isEqualTo(20);
        }
    }

    @Test
    void aStartRefusesToMakeALostGroupAgainAndResumesOnceTheOperatorMadeItAfterTheCommittedEntries() throws Exception {
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            publish(1, 20);
            await().atMost(Duration.ofSeconds(20)).until(() -> outputs() == 20);
        }
        destroyGroups();
        String command;
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(runtime::start);
            assertThat(refused).isInstanceOf(ScriptRefusedException.class);
            assertThat(((ScriptRefusedException) refused).isTransient()).isFalse();
            assertThat(refused.getMessage()).contains("consumer group creation refused: consumer group ")
                    .contains("is gone, although its task committed every entry of it up to").contains("XGROUP CREATE ");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("XGROUP CREATE (\\S+) (\\S+) (\\S+) ")
                    .matcher(refused.getMessage());
            assertThat(m.find()).isTrue();
            command = m.group(1) + " " + m.group(2) + " " + m.group(3);
        }
        assertThat(outputs()).as("nothing processed again by the refused start").isEqualTo(20);
        String[] c = command.split(" ");
        redis.opsForStream().createGroup(c[0], org.springframework.data.redis.connection.stream.ReadOffset.from(c[2]), c[1]).block();
        try (StreamsRuntime runtime = new StreamsRuntime(FencingTokenRollbackTest.topology(), config, redis)) {
            runtime.start();
            publish(21, 25);
            await().atMost(Duration.ofSeconds(20)).until(() -> outputs() == 25);
            Thread.sleep(1000);
            assertThat(outputs()).as("the 5 new ticks, none of the 20 again").isEqualTo(25);
            assertThat(runtime.state()).isEqualTo(RuntimeState.RUNNING);
        }
    }

    private void publish(int from, int to) {
        new EventPublisher(redis, new StreamKeys(ns), StreamCatalog.defaults(), "test")
                .sendAll(RedisRestartEmptyTest.ticks(from, to), 10).block();
    }

    private void destroyGroups() {
        for (String k : redis.keys(ns + "*").collectList().block()) {
            if (k.endsWith(":s:ticks")) {
                for (var g : redis.opsForStream().groups(k).collectList().block()) {
                    redis.opsForStream().destroyGroup(k, g.groupName()).block();
                }
            }
        }
    }

    private long outputs() {
        long n = 0;
        for (String k : redis.keys(ns + "*").collectList().block()) {
            if (k.endsWith(":s:priced")) {
                n += redis.opsForStream().size(k).block();
            }
        }
        return n;
    }
}
