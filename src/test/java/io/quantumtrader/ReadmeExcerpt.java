package io.quantumtrader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's code examples are real code: each is cut from a source file between comment markers
 * {@code // README: <name> starts here} (or {@code resumes here}) and {@code // README: <name> pauses here} (or
 * {@code ends here}), de-indented by 8 (a method body), parts separated by a blank line. The tests that compare a
 * README block with its source use this.
 */
public final class ReadmeExcerpt {

    private ReadmeExcerpt() {
    }

    /** @return the marked parts of {@code source} for the example {@code name} (e.g. "the DSL example") */
    public static String cut(Path source, String name) throws IOException {
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            if (line.contains("README: " + name + " starts here") || line.contains("README: " + name + " resumes here")) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                in = true;
                continue;
            }
            if (line.contains("README: " + name + " pauses here") || line.contains("README: " + name + " ends here")) {
                in = false;
                continue;
            }
            if (in) {
                out.append(line.startsWith("        ") ? line.substring(8) : line.strip()).append('\n');
            }
        }
        return out.toString();
    }
}
