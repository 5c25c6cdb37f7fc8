package io.quantumtrader.app;

import io.quantumtrader.streams.redis.StreamCatalog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountPartitionsTest {

    @Test
    void aCatalogThatWouldSplitTheAccountIsRefusedNamingTheStream() {
        StreamCatalog four = StreamCatalog.load(new ByteArrayInputStream(
                "defaults: { partitions: 1 }\nstreams:\n  market.tick.price: { partitions: 4 }\n".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> AccountPartitions.require(four)).isInstanceOf(CliException.class)
                .hasMessageContaining("market.tick.price 4 partitions").hasMessageContaining("split between 4 tasks");
        assertThatCode(() -> AccountPartitions.require(StreamCatalog.load(Path.of("topology/streams.yaml")))).doesNotThrowAnyException();
    }
}
