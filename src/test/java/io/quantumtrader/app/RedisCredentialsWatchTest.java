package io.quantumtrader.app;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RedisCredentialsWatch}'s clock, on a clock of its own: only refusals that last, and only credentials. */
class RedisCredentialsWatchTest {

    @Test
    void onlyRefusalsThatLastTurnLivenessBrokenOnce() {
        ClientResources resources = ClientResources.create();
        AtomicLong now = new AtomicLong();
        List<String> broken = new ArrayList<>();
        try (RedisCredentialsWatch watch = new RedisCredentialsWatch(resources, Duration.ofMinutes(2), broken::add, now::get)) {
            Throwable wrongPass = new RedisConnectionException("Unable to connect",
                    new RedisCommandExecutionException("WRONGPASS invalid username-password pair or user is disabled."));
            watch.refused(new RedisConnectionException("Connection refused"));   // not about credentials
            now.addAndGet(Duration.ofMinutes(5).toNanos());
            watch.check();
            assertThat(broken).isEmpty();
            assertThat(watch.refusal()).isNull();

            watch.refused(wrongPass);
            now.addAndGet(Duration.ofSeconds(119).toNanos());
            watch.check();
            assertThat(broken).isEmpty();
            assertThat(watch.refusal()).contains("WRONGPASS");
            watch.accepted();                                                     // a connection made: starts over
            watch.refused(wrongPass);
            now.addAndGet(Duration.ofSeconds(119).toNanos());
            watch.check();
            assertThat(broken).isEmpty();
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            watch.check();
            watch.check();
            assertThat(broken).singleElement().asString().contains("refused the service's credentials for 120 s")
                    .contains("WRONGPASS");
            // liveness is BROKEN until the restart: a connect timeout between two refusals does not hide why
            watch.refused(new RedisConnectionException("Connection refused"));
            assertThat(watch.refusal()).as("named while liveness is BROKEN").contains("WRONGPASS");
        } finally {
            resources.shutdown();
        }
    }

    /** Cut to 160 characters before it was redacted, a password across the cut stayed in clear (review 2026-12-06). */
    @Test
    void aRefusalIsRedactedBeforeItIsCut() {
        String secret = "Cut-S3cret-Pw-" + "x".repeat(20);
        Secrets.register(secret);
        String prefix = "WRONGPASS invalid username-password pair; ";
        String message = prefix + "y".repeat(150 - prefix.length()) + secret + " more";   // the cut falls in the secret
        String why = RedisCredentialsWatch.credentialsRefusal(new RedisCommandExecutionException(message));
        assertThat(why).startsWith("WRONGPASS").doesNotContain("Cut-S3c").hasSizeLessThanOrEqualTo(160);
        assertThat(RedisCredentialsWatch.credentialsRefusal(new RedisCommandExecutionException(
                "WRONGPASS for redis://app:Url-S3cret-7@h:1"))).isEqualTo("WRONGPASS for redis://app:***@h:1");
    }

    @Test
    void aRefusalFollowedByAnOutageIsNoReasonToRestart() {
        // found in review (2026-12-05): one refusal, then Redis down for minutes, turned liveness BROKEN on every pod
        ClientResources resources = ClientResources.create();
        AtomicLong now = new AtomicLong(1);
        List<String> broken = new ArrayList<>();
        try (RedisCredentialsWatch watch = new RedisCredentialsWatch(resources, Duration.ofMinutes(2), broken::add, now::get)) {
            watch.refused(new RedisCommandExecutionException("WRONGPASS invalid username-password pair"));
            for (int i = 0; i < 60; i++) {
                now.addAndGet(Duration.ofSeconds(2).toNanos());
                watch.refused(new RedisConnectionException("Connection refused: 127.0.0.1:6379"));
                watch.check();
            }
            assertThat(broken).isEmpty();
            assertThat(watch.refusal()).isNull();
            watch.refused(new RedisCommandExecutionException("ERR invalid password"));   // Redis before 6
            assertThat(watch.refusal()).contains("invalid password");
        } finally {
            resources.shutdown();
        }
    }
}
