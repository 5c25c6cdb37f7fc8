package io.quantumtrader.app;

import io.quantumtrader.ReadmeExcerpt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's example of a Lettuce factory for an embedded engine ("One shared connection that always reads") is real
 * code: cut from {@link RedisConnection} between the "README: the embedding example ..." markers, which the build
 * compiles and every Redis test runs. When this fails, copy the marked lines (de-indented by 8) into that README block.
 */
class ReadmeEmbeddingExampleTest {

    private static final Path SOURCE = Path.of("src/main/java/io/quantumtrader/app/RedisConnection.java");

    @Test
    void theReadmeExampleIsCutFromRedisConnection() throws IOException {
        // the README block sits in a list item: two more spaces per line
        StringBuilder example = new StringBuilder();
        ReadmeExcerpt.cut(SOURCE, "the embedding example").lines().forEach(l -> example.append("  ").append(l).append('\n'));
        assertThat(example.toString()).contains("KeepReading.clientResources()", "new LettuceConnectionFactory(");
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("**One shared connection that always reads.**"));
        int start = section.indexOf("```java\n") + 8;
        String block = section.substring(start, section.indexOf("  ```", start));
        assertThat(block).as("README's embedding example (cut it from %s)", SOURCE).isEqualTo(example.toString());
    }
}
