package io.quantumtrader.app;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code serve} refuses a setting out of range naming it as the setting ({@code quantum-trader.<name>} and its
 * environment variable) and the range, and an HTTP address it cannot bind with exit code 4 ("the service cannot start",
 * docs/OPERATIONS.md "Failures and exit codes"). Found in review (2026-12-07): max-entry-size, dedupe-max-ids and
 * commit-wait-replicas were refused in the engine's words (its fields, or every limit of a record), an alignment idle
 * timeout not above the punctuation interval named {@code punctuationInterval}, which serve has no setting for, and an
 * unbindable address was an "unexpected error" with exit code 1.
 */
class ServeRefusedSettingsWordingTest {

    @org.junit.jupiter.api.extension.RegisterExtension
    static final ReplayFixture.RedisPerClass redis = new ReplayFixture.RedisPerClass();

    @TempDir
    Path dir;

    private CliProcess.Run serve(Map<String, String> settings, String... args) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("REDIS_URL", redis.url());
        env.put("QT_NAMESPACE", "wording-" + ReplayFixture.freePort());
        String[] all = new String[args.length + 2];
        all[0] = "serve";
        all[1] = "--server.port=" + ReplayFixture.freePort();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliProcess.run(dir, env, Duration.ofSeconds(120), all);
    }

    @Test
    void refusedSettingsAreNamedAsTheSettingsAndAnUnbindableAddressIsExitCode4() throws Exception {
        SoftAssertions soft = new SoftAssertions();

        CliProcess.Run entrySize = serve(Map.of("QUANTUM_TRADER_MAX_ENTRY_SIZE", "512B"));
        soft.assertThat(entrySize.exitCode()).as(entrySize.toString()).isEqualTo(2);
        soft.assertThat(entrySize.stderr()).as("max-entry-size below 1 KB").contains("quantum-trader.max-entry-size");

        CliProcess.Run replicas = serve(Map.of("QUANTUM_TRADER_COMMIT_WAIT_REPLICAS", "-1"));
        soft.assertThat(replicas.exitCode()).as(replicas.toString()).isEqualTo(2);
        soft.assertThat(replicas.stderr()).as("negative commit-wait-replicas").contains("quantum-trader.commit-wait-replicas");

        CliProcess.Run idle = serve(Map.of("QUANTUM_TRADER_ALIGNMENT_IDLE_TIMEOUT", "500ms"));
        soft.assertThat(idle.exitCode()).as(idle.toString()).isEqualTo(2);
        soft.assertThat(idle.stderr()).as("an alignment idle timeout of 500 ms (serve's punctuation is 1 s, not a setting)")
                .contains("quantum-trader.alignment-idle-timeout").doesNotContain("punctuationInterval");

        // TEST-NET-1 (RFC 5737): never an address of this host
        CliProcess.Run address = serve(Map.of(), "--server.address=192.0.2.1");
        soft.assertThat(address.exitCode()).as("exit code of a serve that cannot bind its HTTP address: " + address).isEqualTo(4);
        soft.assertThat(address.stderr()).as(address.toString()).startsWith("error: cannot start the service")
                .doesNotContain("unexpected error");

        soft.assertAll();
    }
}
