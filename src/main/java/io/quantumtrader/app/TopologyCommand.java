package io.quantumtrader.app;

import io.quantumtrader.streams.dsl.Topology;
import io.quantumtrader.streams.dsl.TopologyDescription;
import io.quantumtrader.streams.dsl.TopologyDiagrams;
import io.quantumtrader.trader.QuantumTraderTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Prints the trading topology, or exports it: {@code <name>.txt} (Kafka Streams describe format), {@code .mmd}
 * (Mermaid), {@code .dot} (Graphviz) and {@code .svg} when Graphviz' {@code dot} is installed.
 */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Print the trading topology, or export it as text, Mermaid, DOT (and SVG with Graphviz).")
final class TopologyCommand implements Callable<Integer> {

    @Option(names = "--export", description = "directory to write quantum-trader.txt/.mmd/.dot (and .svg) into, e.g. topology")
    Path exportDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Topology topology = QuantumTraderTopology.build();
        if (exportDir == null) {
            System.out.print(topology.describe());
            return 0;
        }
        Files.createDirectories(exportDir);
        for (Map.Entry<String, String> e : render(topology).entrySet()) {
            Path file = exportDir.resolve(QuantumTraderTopology.APPLICATION_ID + "." + e.getKey());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + file);
        }
        Path dot = exportDir.resolve(QuantumTraderTopology.APPLICATION_ID + ".dot");
        Path svg = exportDir.resolve(QuantumTraderTopology.APPLICATION_ID + ".svg");
        // an SVG of an earlier export would stay beside the new files, out of date, when this one makes none (found in
        // review, 2026-12-07: a failing dot, exit code 0 and nothing said, or no Graphviz, left the old one)
        Files.deleteIfExists(svg);
        try {
            Process p = new ProcessBuilder("dot", "-Tsvg", dot.toString(), "-o", svg.toString()).inheritIO().start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new CliException(CliException.FAILED, "Graphviz 'dot' failed (exit code " + exit + ") on " + dot
                        + ": no SVG written", "see its message above; the .txt, .mmd and .dot files are written", null);
            }
            System.out.println("wrote " + svg);
        } catch (IOException e) {
            System.out.println("Graphviz 'dot' not installed: no SVG (apt-get install graphviz)");
        }
        return 0;
    }

    /** @return file extension → content, exactly as exported (the TopologyFilesTest compares them with the committed files) */
    static Map<String, String> render(Topology topology) {
        TopologyDescription d = topology.describe();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("txt", d.toString());
        files.put("mmd", TopologyDiagrams.mermaid(topology.applicationId(), d));
        files.put("dot", TopologyDiagrams.dot(topology.applicationId(), d));
        return files;
    }
}
