package io.quantumtrader.app;

import io.quantumtrader.streams.redis.StreamKeys;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay whose task stopped for good (a commit Redis refuses every time: here the namespace's
 * {@code audit.decision.log} key holds a string) says so, naming the task and the cause, and does not claim it waited
 * for {@code --timeout}. Found in review (2026-12-06): {@code awaitDrained} returns at once when the runtime is in
 * ERROR, and the replay printed "the pipeline did not drain within PT2M" a second after publishing, and "drained NO:
 * timed out" in the report; then the report's XLEN of that key failed with "Redis failed: WRONGTYPE …, check that Redis
 * is running, and REDIS_URL" and exit code 3. The CLI runs in a child JVM against a Redis this test starts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplayStoppedTaskTest {

    @RegisterExtension
    static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();

    @TempDir
    Path dir;

    @Test
    void aReplayWhoseTaskStoppedForGoodNamesTheTaskAndTheCauseInsteadOfATimeout() throws Exception {
        Path work = ReplayFixture.workDir(dir, "stopped");
        String audit = new StreamKeys("stopped").stream(QuantumTraderTopology.AUDIT, 0);
        try (RedisConnection c = RedisConnection.of(redis.url())) {
            c.template().opsForValue().set(audit, "written by something else").block();
        }
        CliProcess.Run run = CliProcess.run(work, Map.of("REDIS_URL", redis.url()), Duration.ofMinutes(2), "replay",
                "--file", ReplayFixture.trades(dir, 3_000).toString(), "--namespace", "stopped", "--timeout", "PT2M");

        // the report then meets the key too (XLEN): Redis works, so not Redis' exit code 3 and "check that Redis is
        // running, and REDIS_URL", as before (review 2026-12-06), but the run's failure and the key's type
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliException.FAILED);
        assertThat(run.errLines()).as(run.toString())
                .anyMatch(l -> l.startsWith("error: ") && l.contains("a key of another type"))
                .noneMatch(l -> l.contains("check that Redis is running"));
        assertThat(run.stdout()).as(run.toString())
                .doesNotContain("did not drain within")
                .doesNotContain("timed out")
                .contains("stopped for good")
                .contains("holds a string");
    }
}
