package io.quantumtrader.app;

import io.quantumtrader.streams.runtime.CommitOptions;
import org.springframework.boot.convert.DurationStyle;

import java.time.Duration;
import java.util.Map;

/**
 * Commit durability for the CLI commands that run the engine ({@code replay}, {@code bench}), from the same
 * environment variables Spring Boot binds for {@code serve} ({@code quantum-trader.commit-wait-replicas} /
 * {@code quantum-trader.commit-wait-timeout}): {@code QUANTUM_TRADER_COMMIT_WAIT_REPLICAS} (0: no WAIT, the default)
 * and {@code QUANTUM_TRADER_COMMIT_WAIT_TIMEOUT} (e.g. {@code 500ms}, default 1s).
 */
public final class CommitDurabilitySettings {

    static final String REPLICAS = "QUANTUM_TRADER_COMMIT_WAIT_REPLICAS";
    static final String TIMEOUT = "QUANTUM_TRADER_COMMIT_WAIT_TIMEOUT";

    private CommitDurabilitySettings() {
    }

    /**
     * @return commit options with the WAIT of the environment
     * @throws CliException (exit code 2) when a value does not parse
     */
    public static CommitOptions fromEnvironment(Map<String, String> env) {
        String replicas = env.get(REPLICAS);
        String timeout = env.get(TIMEOUT);
        try {
            int n = replicas == null || replicas.isBlank() ? 0 : Integer.parseInt(replicas.trim());
            Duration t = timeout == null || timeout.isBlank() ? Duration.ofSeconds(1) : DurationStyle.detectAndParse(timeout.trim());
            return CommitOptions.defaults().withWait(n, t);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.INPUT, REPLICAS + "=" + replicas + " / " + TIMEOUT + "=" + timeout
                    + " is not valid: " + e.getMessage(), "set a replica count (0, 1, ...) and a duration such as 500ms", e);
        }
    }
}
