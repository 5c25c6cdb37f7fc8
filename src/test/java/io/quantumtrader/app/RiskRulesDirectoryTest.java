package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Found in review (2026-12-07): {@code replay --risk-rules <a directory>} (or a config/risk-rules.yaml that is a directory) is reported as
 * "no such file", sending the person to look for a missing file that is there: the cause is that it is a directory.
 */
class RiskRulesDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryIsNotReportedAsMissing() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("risk-rules.yaml"));
        CliException e = catchThrowableOfType(CliException.class, () -> RiskRulesFile.load(rules));
        assertThat(e).isNotNull();
        assertThat(e.exitCode()).isEqualTo(CliException.INPUT);
        assertThat(e.getMessage()).as("names the cause").doesNotContain("no such file").contains("directory");
    }
}
