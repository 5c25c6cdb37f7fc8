package io.quantumtrader.app;

import io.quantumtrader.trader.risk.RiskRules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The risk rules the risk kernel runs with, and where they came from: the file named ({@code replay --risk-rules},
 * {@code serve}'s {@code quantum-trader.risk-rules}), else {@code config/risk-rules.yaml} in the working directory when
 * present, else {@link RiskRules#defaults()} (the values of the shipped {@code config/risk-rules.yaml}, RiskRulesTest).
 * Found in review (2026-12-07): {@code serve} built the topology with the defaults whatever the file said, so a desk
 * that lowered its daily loss limit or price band ran on the defaults, silently.
 *
 * @param rules  the rules
 * @param source where they came from, for the start line: the file's path, or "built-in defaults"
 */
record RiskRulesFile(RiskRules rules, String source) {

    /** The file read when none is named. */
    static final Path DEFAULT_FILE = Path.of("config/risk-rules.yaml");

    /**
     * @param named the file given, or null for {@link #DEFAULT_FILE} when present, else the defaults
     * @throws CliException (exit code 2) when the file named does not exist or its rules are refused, naming the file and
     *                      the rule
     */
    static RiskRulesFile load(Path named) {
        Path file = named != null ? named : DEFAULT_FILE;
        if (named == null && !Files.exists(file)) {
            return new RiskRulesFile(RiskRules.defaults(), "built-in defaults (no " + DEFAULT_FILE + ")");
        }
        if (Files.isDirectory(file)) {   // said "no such file" (found in review, 2026-12-07)
            throw new CliException(CliException.INPUT, "cannot use risk rules " + file + ": it is a directory",
                    "give the YAML file of the rules, e.g. config/risk-rules.yaml", null);
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(CliException.INPUT, "cannot use risk rules " + file + ": no such file",
                    "check the path (relative paths start at " + System.getProperty("user.dir") + ")", null);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new RiskRulesFile(RiskRules.load(in), file.toString());
        } catch (IllegalArgumentException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new CliException(CliException.INPUT, "cannot use risk rules " + file + ": " + reason,
                    "compare with config/risk-rules.yaml (every rule and its default)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
