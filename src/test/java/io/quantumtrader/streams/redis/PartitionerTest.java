package io.quantumtrader.streams.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionerTest {

    @Test
    void murmur2MatchesKafkaReferenceValues() {
        // reference values from Kafka's UtilsTest#testMurmur2
        assertThat(Partitioner.murmur2("21".getBytes(StandardCharsets.UTF_8))).isEqualTo(-973932308);
        assertThat(Partitioner.murmur2("foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(-790332482);
        assertThat(Partitioner.murmur2("a-little-bit-long-string".getBytes(StandardCharsets.UTF_8))).isEqualTo(-985981536);
        assertThat(Partitioner.murmur2("a-little-bit-longer-string".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1486304829);
        assertThat(Partitioner.murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(-58897971);
        assertThat(Partitioner.murmur2(new byte[]{'a', 'b', 'c'})).isEqualTo(479470107);
    }

    @Test
    void partitionIsStableAndInRange() {
        for (int n = 1; n <= 16; n++) {
            for (String key : new String[]{"BTC-USD", "ETH-USD", "", "x"}) {
                int p = Partitioner.partition(key, n);
                assertThat(p).isBetween(0, n - 1).isEqualTo(Partitioner.partition(key, n));
            }
        }
        assertThat(Partitioner.partition(null, 8)).isZero();
    }
}
