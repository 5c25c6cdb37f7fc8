package io.quantumtrader.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts free-text reasons (the risk kernel's vetoes) by rule rather than by value: reasons that differ only in their
 * figures form one group. A group's label keeps each figure that all its reasons share and shows {@code #} where they
 * differ: "drawdown 10.34% reached the 10.0% limit" and "drawdown 12.01% reached the 10.0% limit" count as
 * "drawdown #% reached the 10.0% limit" (2); a rule whose figure is configuration ("gross exposure cap 130% reached")
 * keeps it.
 */
final class ReasonGroups {

    private static final Pattern FIGURE = Pattern.compile("-?\\d+(\\.\\d+)?([eE]-?\\d+)?");
    static final String NO_REASON = "(no reason given)";

    /** Per rule (the reason with every figure replaced by {@code #}): its figures, null where they differ. */
    private final Map<String, Group> groups = new TreeMap<>();

    private static final class Group {
        /** The first reason of the group: its text around the figures is the rule's. */
        final String example;
        final List<String> figures;
        long count;

        Group(String example, List<String> figures) {
            this.example = example;
            this.figures = figures;
        }
    }

    /** Counts one reason; null or blank counts as {@value #NO_REASON}. */
    void add(String reason) {
        if (reason == null || reason.isBlank()) {
            groups.computeIfAbsent(NO_REASON, k -> new Group(NO_REASON, List.of())).count++;
            return;
        }
        List<String> figures = new ArrayList<>();
        Matcher m = FIGURE.matcher(reason);
        while (m.find()) {
            figures.add(m.group());
        }
        Group g = groups.computeIfAbsent(rule(reason), k -> new Group(reason, figures));
        for (int i = 0; i < g.figures.size(); i++) {
            if (g.figures.get(i) != null && !g.figures.get(i).equals(figures.get(i))) {
                g.figures.set(i, null);
            }
        }
        g.count++;
    }

    /** @return label → count, most frequent first (ties by label) */
    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        groups.forEach((rule, g) -> out.put(label(g), g.count));
        return ReplayReport.sortedByCount(out);
    }

    /** @return the reason with every figure replaced by {@code #} */
    static String rule(String reason) {
        return FIGURE.matcher(reason).replaceAll("#");
    }

    /** @return the group's first reason with each figure its reasons do not share replaced by {@code #} */
    private static String label(Group g) {
        Matcher m = FIGURE.matcher(g.example);
        StringBuilder out = new StringBuilder();
        int figure = 0;
        while (m.find()) {
            String f = g.figures.get(figure++);
            m.appendReplacement(out, Matcher.quoteReplacement(f == null ? "#" : f));
        }
        m.appendTail(out);
        return out.toString();
    }
}
