package io.quantumtrader.app;

import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed topology diagrams under topology/ are what the code produces. When this fails, regenerate them:
 * {@code java -jar target/quantum-trader-streams.jar topology --export topology} and update the README's diagram.
 */
class TopologyFilesTest {

    @Test
    void committedDiagramsMatchTheCode() throws IOException {
        Map<String, String> rendered = TopologyCommand.render(QuantumTraderTopology.build());
        for (Map.Entry<String, String> e : rendered.entrySet()) {
            Path file = Path.of("topology", QuantumTraderTopology.APPLICATION_ID + "." + e.getKey());
            assertThat(file).as("%s exists (run: topology --export topology)", file).exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).as("%s is up to date", file).isEqualTo(e.getValue());
        }
    }

    @Test
    void theReadmeEmbedsTheMermaidDiagram() throws IOException {
        String mermaid = TopologyCommand.render(QuantumTraderTopology.build()).get("mmd");
        assertThat(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8)).contains("```mermaid\n" + mermaid + "```");
    }
}
