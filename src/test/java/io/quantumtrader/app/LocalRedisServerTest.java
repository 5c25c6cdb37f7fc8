package io.quantumtrader.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Which redis-server the main job and {@code bench} start when no REDIS_URL is given. */
class LocalRedisServerTest {

    @Test
    void anExecutableThatIsNotRedisIsNotChosen(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("redis-server");
        Files.writeString(fake, "#!/bin/sh\necho 'not redis'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(LocalRedisServer.probe(fake)).isEmpty();
        assertThat(LocalRedisServer.probe(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void theRedisServerOnPathIsStartedAndNamedInTheDescription() {
        Optional<LocalRedisServer> debian = LocalRedisServer.probe(Path.of("/usr/bin/redis-server"));
        assumeTrue(debian.isPresent(), "no /usr/bin/redis-server on this machine");
        assertThat(debian.get().version()).matches("\\d+\\.\\d+\\.\\d+, malloc=.+");
        try (RedisConnection redis = RedisConnection.local(debian.get())) {
            assertThat(redis.description()).startsWith("redis-server " + debian.get().version() + " (/usr/bin/redis-server) on 127.0.0.1:");
            assertThat(redis.template().execute(c -> c.serverCommands().info("server")).blockFirst().getProperty("executable"))
                    .endsWith("redis-server");
            assertThat(redis.template().execute(c -> c.serverCommands().info("memory")).blockFirst().getProperty("mem_allocator"))
                    .isEqualTo(debian.get().version().replaceFirst(".*malloc=", ""));
        }
    }
}
