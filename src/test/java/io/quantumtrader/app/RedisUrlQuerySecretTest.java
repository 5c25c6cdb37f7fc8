package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Found in review (2026-12-07): a password given as a query parameter ({@code ?password=...}, as redis-py's from_url accepts) is refused as
 * an unknown parameter, and the error quotes the whole URL, the password included: RedisUrl strips the value from the
 * reason ('password') but {@code withoutPassword(url)} quotes the URL as it is when it has no '@'.
 */
class RedisUrlQuerySecretTest {

    private static final String SECRET = "QueryPw-7f3a9c2e";

    @TempDir
    Path dir;

    @Test
    void aPasswordInTheQueryIsNotQuotedInTheError() {
        CliException e = catchThrowableOfType(CliException.class,
                () -> RedisUrl.target("redis://127.0.0.1:6390/0?password=" + SECRET));
        assertThat(e).isNotNull();
        assertThat(e.getMessage() + "\n" + e.hint()).as("the error of a malformed REDIS_URL").doesNotContain(SECRET);
    }

    @Test
    void theCliDoesNotPrintAPasswordGivenInTheQuery() {
        CliProcess.Run run = CliProcess.run(dir, Map.of("REDIS_URL", "redis://127.0.0.1:6390?auth=" + SECRET),
                Duration.ofSeconds(90), "kill-switch-reset", "--reason", "review", "--wait", "0s");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.all()).as("no password in the output: " + run).doesNotContain(SECRET);
    }
}
