package io.quantumtrader.trader;

import io.quantumtrader.ReadmeExcerpt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's DSL example is real code: it is cut from {@link QuantumTraderTopology} (between the "README: the DSL
 * example ..." markers), which the build compiles and the trading tests run. When this fails, copy the marked lines
 * (without their indentation) into the README's first {@code java} block under "## The DSL".
 */
class ReadmeDslExampleTest {

    static final Path SOURCE = Path.of("src/main/java/io/quantumtrader/trader/QuantumTraderTopology.java");

    /** @return the marked parts of the source, de-indented, separated by a blank line */
    static String example() throws IOException {
        return ReadmeExcerpt.cut(SOURCE, "the DSL example");
    }

    @Test
    void theReadmeExampleIsCutFromTheTopologySource() throws IOException {
        String example = example();
        assertThat(example).contains(".filter(", ".join(open", ".windowedBy(", ".aggregate(", "DailyPnl::empty");
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String dsl = readme.substring(readme.indexOf("## The DSL"));
        String block = dsl.substring(dsl.indexOf("```java\n") + 8, dsl.indexOf("```", dsl.indexOf("```java\n") + 8));
        assertThat(block).as("README's DSL example (cut it from %s)", SOURCE).isEqualTo(example);
    }

    @Test
    void theMarkersAreThere() throws IOException {
        assertThat(Files.readAllLines(SOURCE).stream().filter(l -> l.contains("README: the DSL example")).collect(Collectors.toList()))
                .hasSizeGreaterThanOrEqualTo(4);
    }
}
