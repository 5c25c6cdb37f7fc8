package io.quantumtrader.streams.redis;

import java.nio.charset.StandardCharsets;

/**
 * Maps a record key to a partition with Kafka's default partitioner formula:
 * {@code (murmur2(utf8(key)) & 0x7fffffff) % partitions} (Kafka {@code Utils.murmur2}, seed 0x9747b28c), so keys
 * land on the same partition numbers as they would in Kafka.
 */
public final class Partitioner {

    private Partitioner() {
    }

    /**
     * @param key        record key; {@code null} keys go to partition 0
     * @param partitions partition count, at least 1
     * @return the partition, in {@code [0, partitions)}
     */
    public static int partition(String key, int partitions) {
        if (partitions <= 1 || key == null) {
            return 0;
        }
        return (murmur2(key.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff) % partitions;
    }

    /** Kafka's 32-bit murmur2 hash (org.apache.kafka.common.utils.Utils#murmur2). */
    static int murmur2(byte[] data) {
        int length = data.length;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = 0x9747b28c ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = length & ~3;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
