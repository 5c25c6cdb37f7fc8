package io.quantumtrader.streams.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The number of commits whose run the task's meta hash keeps is written twice, in commit.lua ({@code ACKED_KEPT}, which
 * answers a commit sent again) and in {@link StreamTask} (which counts a commit of unknown outcome): they must agree, or
 * a commit is counted twice or never.
 */
class CommitsKeptTest {

    @Test
    void commitLuaAndTheTaskKeepTheSameNumberOfCommits() throws IOException {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/io/quantumtrader/streams/redis/commit.lua")) {
            assertThat(in).as("commit.lua on the classpath").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher kept = Pattern.compile("(?m)^local ACKED_KEPT = (\\d+)$").matcher(script);
        assertThat(kept.find()).as("commit.lua declares ACKED_KEPT").isTrue();
        assertThat(Integer.parseInt(kept.group(1))).isEqualTo(StreamTask.COMMITS_KEPT);
    }
}
