package io.quantumtrader.app;

import io.quantumtrader.streams.dsl.TopologyDescription;
import io.quantumtrader.streams.dsl.internals.TopologyNode;
import io.quantumtrader.trader.QuantumTraderTopology;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exported diagram stays readable at the README's width: Graphviz renders topology/quantum-trader.dot to PNG
 * (target/quantum-trader.png, 96 dpi) no wider than {@link #MAX_WIDTH_PX}, so in a README column (about 880 px) its
 * labels shrink by about 56 % at most (seven sub-topologies stacked top to bottom; 1,400 px until 2026-12-05, when the
 * portfolio's audit of gate declines, venue cancellations and empty sizings made it 1,479 px wide; 1,500 px until
 * 2026-12-06, when the price band's four nodes in the candle sub-topology and the tick path's kill-switch reset step
 * and its outputs made Graphviz lay it out wider: 1,572 px with the band alone, for which five orders and names of its
 * nodes gave 1,572 to 1,709 px, 1,976 px with the reset step alone, 1,631 px with both; 1,700 px until the second
 * session of 2026-12-06, when the kill switch's cancellation of pending entries at the trip and the merge of its
 * cancellations with the venue's made it 1,930 px); every node is drawn
 * and every stream labelled exactly once. The committed SVG (which
 * the README shows) is what this Graphviz makes of the committed DOT, when it is the version that made it.
 * Needs Graphviz ({@code dot}; .ci/run installs it); skipped without it outside CI.
 */
class TopologyDiagramRenderingTest {

    static final int MAX_WIDTH_PX = 2000;
    static final Path DOT = Path.of("topology", QuantumTraderTopology.APPLICATION_ID + ".dot");
    static final Path SVG = Path.of("topology", QuantumTraderTopology.APPLICATION_ID + ".svg");
    static String version;

    @BeforeAll
    static void graphviz() throws InterruptedException {
        try {
            version = run(List.of("dot", "-V"));
        } catch (IOException e) {
            Assumptions.assumeTrue("true".equals(System.getenv("CI")), "Graphviz (dot) is not installed: apt-get install graphviz");
            throw new AssertionError("Graphviz (dot) is not installed; .ci/run installs it", e);
        }
    }

    @Test
    void pngFitsTheReadmeWidthWithEveryNodeAndEachStreamOnce() throws Exception {
        Path png = Path.of("target", "quantum-trader.png");
        Files.createDirectories(png.getParent());
        run(List.of("dot", "-Tpng", "-Gdpi=96", DOT.toString(), "-o", png.toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).as("width of %s at 96 dpi", png).isBetween(300, MAX_WIDTH_PX);

        String svg = run(List.of("dot", "-Tsvg", DOT.toString())).replace("&#45;", "-").replace("&gt;", ">").replace("&lt;", "<");
        TopologyDescription d = QuantumTraderTopology.build().describe();
        for (TopologyDescription.SubtopologyDescription s : d.subtopologies()) {
            assertThat(svg).containsAnyOf(">Sub-topology " + s.id() + "<", ">Sub-topology " + s.id() + " (global store)<");
            for (TopologyDescription.Node n : s.nodes()) {
                assertThat(svg).as("node %s drawn", n.name()).contains(">" + n.name() + "<");
            }
        }
        Set<String> streams = d.subtopologies().stream().flatMap(s -> s.nodes().stream())
                .filter(n -> n.kind() != TopologyNode.Kind.PROCESSOR).flatMap(n -> n.streams().stream()).collect(Collectors.toSet());
        assertThat(streams).hasSizeGreaterThan(10);
        for (String stream : streams) {
            // a stream the topology reads is one cylinder; one it only writes is named in the box of each sink writing
            // it (signals.advisory.no_signal: the market-data advisory and the portfolio's kill-switch gate)
            boolean read = d.subtopologies().stream().flatMap(s -> s.nodes().stream())
                    .anyMatch(n -> n.kind() == TopologyNode.Kind.SOURCE && n.streams().contains(stream));
            long sinks = d.subtopologies().stream().flatMap(s -> s.nodes().stream())
                    .filter(n -> n.kind() == TopologyNode.Kind.SINK && n.streams().contains(stream)).count();
            assertThat(count(svg, ">" + stream + "<")).as("labels of stream %s", stream).isEqualTo(read ? 1 : (int) sinks);
        }
    }

    @Test
    void committedSvgIsWhatGraphvizMakesOfTheCommittedDot() throws Exception {
        String committed = Files.readString(SVG, StandardCharsets.UTF_8);
        Matcher made = Pattern.compile("Generated by graphviz version ([^ ]+)").matcher(committed);
        assertThat(made.find()).as("%s names the Graphviz that made it", SVG).isTrue();
        Assumptions.assumeTrue(version.contains("version " + made.group(1)),
                "the committed SVG comes from Graphviz " + made.group(1) + ", this is: " + version.trim());
        assertThat(run(List.of("dot", "-Tsvg", DOT.toString()))).as("%s is stale: run topology --export topology", SVG).isEqualTo(committed);
        assertThat(Files.readString(Path.of("README.md"))).contains("](" + SVG.toString().replace('\\', '/') + ")");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " took more than 60 s");
        }
        assertThat(p.exitValue()).as("%s:\n%s", String.join(" ", command), out).isZero();
        return out;
    }
}
