package io.quantumtrader.app;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisDatabaseWatch}'s rule: only a refused database is reported, once (the server asked for its limit once)
 * until a connection is made again; other reconnect failures change nothing; a Redis this process started is not
 * watched. The service end to end: {@link ServeDatabaseLostTest}.
 */
class RedisDatabaseWatchTest {

    private final ClientResources resources = ClientResources.create();
    private final RedisTarget target = RedisUrl.target("redis://:pw-not-shown@10.0.0.5:6379/20");

    @AfterEach
    void shutdown() {
        resources.shutdown();
    }

    @Test
    void aRefusedDatabaseIsNamedOnceUntilAConnectionIsMadeAgain() {
        AtomicInteger asked = new AtomicInteger();
        try (RedisDatabaseWatch watch = new RedisDatabaseWatch(resources, target, t -> {
            asked.incrementAndGet();
            return 8;
        })) {
            watch.refused(new RuntimeException("Connection refused"));
            assertThat(watch.problem()).as("Redis down: no database named").isNull();
            watch.refused(new RedisCommandExecutionException("ERR DB index is out of range"));
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.problem() != null);
            assertThat(watch.problem()).contains("Redis at 10.0.0.5:6379 has no database 20", "it has 8, 0 to 7",
                    "name a database from 0 to 7 in REDIS_URL").doesNotContain("pw-not-shown");
            watch.refused(new RedisCommandExecutionException("ERR DB index is out of range"));
            watch.refused(new RuntimeException("Connection refused"));
            assertThat(watch.problem()).as("still refused: an outage does not bring the database back").isNotNull();
            assertThat(asked).as("the server's limit asked once per outage").hasValue(1);
            watch.accepted();
            assertThat(watch.problem()).isNull();
        }
    }

    /** What the engine's tasks say instead of Redis' raw reply (their restart WARN, the health's group.failing). */
    @Test
    void aTaskFailureFromTheRefusedDatabaseIsDescribedInWords() {
        try (RedisDatabaseWatch watch = new RedisDatabaseWatch(resources, target, t -> 8)) {
            RuntimeException failure = new RuntimeException("read failed",
                    new RedisCommandExecutionException("ERR DB index is out of range"));
            assertThat(watch.describe(failure)).hasValueSatisfying(line -> assertThat(line)
                    .isEqualTo("Redis at 10.0.0.5:6379 has no database 20, the one REDIS_URL selects: check the server's "
                            + "'databases' setting, or name a database it has in REDIS_URL"));
            assertThat(watch.describe(new RedisCommandExecutionException("ERR unknown command"))).as("other failures").isEmpty();
            // once the database is known refused, a task's timeout (its commands wait on refused reconnects) names it
            watch.refused(new RedisCommandExecutionException("ERR DB index is out of range"));
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.problem() != null);
            assertThat(watch.describe(new java.util.concurrent.TimeoutException("Did not observe any item within 5000ms")))
                    .hasValueSatisfying(line -> assertThat(line).startsWith("Redis at 10.0.0.5:6379 has no database 20, the one "
                            + "REDIS_URL selects").endsWith("(this failure meanwhile: Did not observe any item within 5000ms)"));
            watch.accepted();
            assertThat(watch.describe(new RedisCommandExecutionException("ERR unknown command"))).as("the database back").isEmpty();
        }
        try (RedisDatabaseWatch unwatched = new RedisDatabaseWatch(resources, null, t -> 8)) {
            assertThat(unwatched.describe(new RedisCommandExecutionException("ERR DB index is out of range"))).isEmpty();
        }
    }

    /** A command's failure while the database is refused (a replay's publisher timed out) is reported as the database. */
    @Test
    void aCommandsFailureWhileTheDatabaseIsRefusedNamesIt() {
        try (RedisDatabaseWatch watch = new RedisDatabaseWatch(resources, target, t -> 8)) {
            RuntimeException timeout = new RuntimeException("Command timed out after 1 minute(s)");
            assertThat(watch.named(timeout)).as("the database not refused: the failure as it is").isSameAs(timeout);
            watch.refused(new RedisCommandExecutionException("ERR DB index is out of range"));
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.problem() != null);
            assertThat(watch.named(timeout)).isInstanceOfSatisfying(CliException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(CliException.REDIS);
                assertThat(e.getMessage()).isEqualTo("Redis at 10.0.0.5:6379 has no database 20 (REDIS_URL names it): it has 8, "
                        + "0 to 7 (its 'databases' setting)");
                assertThat(e.hint()).startsWith("name a database from 0 to 7 in REDIS_URL");
                assertThat(e).hasCause(timeout);
            });
            CliException own = new CliException(CliException.INPUT, "a file", null, null);
            assertThat(watch.named(own)).as("a failure already for people").isSameAs(own);
            watch.accepted();
            assertThat(watch.named(timeout)).isSameAs(timeout);
        }
    }

    /**
     * A command's work ends with the database named as soon as Redis refuses it, or at once when it refuses it
     * already (a replay ended only when its next command timed out, a minute later: review 2026-12-07); work that ends
     * first ends as it does; a Redis this process started is not watched.
     */
    @Test
    void workEndsAsSoonAsTheDatabaseIsNamed() {
        try (RedisDatabaseWatch watch = new RedisDatabaseWatch(resources, target, t -> 8)) {
            StepVerifier.create(watch.unlessLost(Mono.just("done"))).expectNext("done").verifyComplete();
            watch.failIfLost();   // not refused: nothing thrown
            StepVerifier.create(watch.unlessLost(Mono.never()))
                    .then(() -> watch.refused(new RedisCommandExecutionException("ERR DB index is out of range")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(CliException.class, c -> {
                        assertThat(c.exitCode()).isEqualTo(CliException.REDIS);
                        assertThat(c.getMessage()).startsWith("Redis at 10.0.0.5:6379 has no database 20");
                        assertThat(c.hint()).startsWith("name a database from 0 to 7 in REDIS_URL");
                    }))
                    .verify(Duration.ofSeconds(10));
            StepVerifier.create(watch.unlessLost(Mono.never())).as("refused already")
                    .expectErrorMatches(e -> e instanceof CliException c && c.getMessage().contains("has no database 20"))
                    .verify(Duration.ofSeconds(5));
            assertThatThrownBy(watch::failIfLost).isInstanceOfSatisfying(CliException.class,
                    c -> assertThat(c.exitCode()).isEqualTo(CliException.REDIS));
            watch.accepted();
            watch.failIfLost();
            StepVerifier.create(watch.unlessLost(Mono.just("again"))).expectNext("again").verifyComplete();
        }
        try (RedisDatabaseWatch unwatched = new RedisDatabaseWatch(resources, null, t -> 8)) {
            Mono<String> work = Mono.just("x");
            assertThat(unwatched.unlessLost(work)).isSameAs(work);
        }
    }

    @Test
    void aRedisThisProcessStartedIsNotWatched() {
        try (RedisDatabaseWatch watch = new RedisDatabaseWatch(resources, null, t -> 8)) {
            watch.refused(new RedisCommandExecutionException("ERR DB index is out of range"));
            assertThat(watch.problem()).isNull();
        }
    }
}
