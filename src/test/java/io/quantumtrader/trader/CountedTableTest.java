package io.quantumtrader.trader;

import io.quantumtrader.streams.dsl.TopologyDescription;
import io.quantumtrader.trader.risk.EntryAtFill;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found in review (2026-12-07, docs against code): docs/TRADING-PIPELINE.md "Counted: every order refused, cancelled or re-sized" lists, per node,
 * every reason counted in qt.streams.node.records.counted; and its stage table names each processor's stores.
 */
class CountedTableTest {

    private static final Path DOC = Path.of("docs/TRADING-PIPELINE.md");

    private static String countedTable() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int from = doc.indexOf("### Counted");
        int to = doc.indexOf("### The portfolio's rules");
        return doc.substring(from, to);
    }

    /** The reasons PaperVenueProcessor.init declares (and counts): each should have its row in the table. */
    @Test
    void everyReasonThePaperVenueDeclaresIsInTheCountedTable() throws IOException {
        Set<String> declared = new HashSet<>(EntryAtFill.CANCEL_REASONS);
        declared.addAll(Set.of(PaperVenueProcessor.HALVED, PaperVenueProcessor.RESIZED, PaperVenueProcessor.CAPPED,
                PaperVenueProcessor.KILL_SWITCH_TICK, PaperVenueProcessor.HARD_DERISK_TICK,
                PaperVenueProcessor.LIMIT_NOT_REACHED, PaperVenueProcessor.EXPIRED));
        String table = countedTable();
        Set<String> missing = new TreeSet<>();
        for (String reason : declared) {
            if (!table.contains("| `paper-venue` | `" + reason + "` |")) {
                missing.add(reason);
            }
        }
        assertThat(missing).as("paper-venue reasons counted by the code but missing from the Counted table").isEmpty();
    }

    /** The stage table's "(`risk-kernel`; stores …)" against the topology's description. */
    @Test
    void theRiskKernelRowNamesTheStoresTheProcessorHas() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\(`risk-kernel`; stores ([^)|]*)\\)").matcher(doc);
        assertThat(m.find()).isTrue();
        Set<String> documented = new TreeSet<>();
        Matcher names = Pattern.compile("`([a-z-]+)`").matcher(m.group(1));
        while (names.find()) {
            documented.add(names.group(1));
        }
        TopologyDescription d = QuantumTraderTopology.build().describe();
        String text = d.toString();
        Matcher actual = Pattern.compile("Processor: risk-kernel \\(stores: \\[([^]]*)]\\)").matcher(text);
        assertThat(actual.find()).isTrue();
        Set<String> stores = new TreeSet<>(Set.of(actual.group(1).split(",\\s*")));
        assertThat(documented).as("docs/TRADING-PIPELINE.md risk kernel row's stores").isEqualTo(stores);
    }
}
