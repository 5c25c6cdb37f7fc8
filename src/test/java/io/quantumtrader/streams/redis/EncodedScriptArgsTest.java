package io.quantumtrader.streams.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A commit's script arguments written out as RESP once ({@link EncodedScriptArgs}) are byte for byte what Lettuce's
 * own {@link CommandArgs} writes for the same values, and {@link CommitConnection#eval} runs scripts with them on a
 * real Redis, with EVAL when the server's script cache does not have the script.
 */
class EncodedScriptArgsTest {

    @Test
    void encodesAsLettuceDoes() {
        byte[] sha = "0123456789abcdef0123456789abcdef01234567".getBytes(StandardCharsets.US_ASCII);
        byte[][] keys = {bytes("qt:{t}:lease"), bytes("")};
        int[] edges = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1_000, 1_001, 10_000};   // lengths at each digit count's edges
        byte[][] args = new byte[1_200 + edges.length][];
        for (int i = 0; i < 1_200; i++) {
            args[i] = bytes(i % 3 == 0 ? "" : "value-é-" + i + "x".repeat(i % 17));   // empty, non-ASCII
        }
        for (int i = 0; i < edges.length; i++) {
            args[1_200 + i] = bytes("y".repeat(edges[i]));
        }
        CommandArgs<byte[], byte[]> lettuce = new CommandArgs<>(ByteArrayCodec.INSTANCE).addValue(sha).add(keys.length)
                .addKeys(keys).addValues(args);
        EncodedScriptArgs ours = EncodedScriptArgs.of(sha, keys, args);

        assertThat(ours.count()).isEqualTo(lettuce.count()).isEqualTo(2 + keys.length + args.length);
        assertThat(encoded(ours)).isEqualTo(encoded(lettuce));
    }

    @Test
    void runsScriptsOnRedisWithEvalWhenTheScriptIsNotCached() throws Exception {
        var redis = RedisTestSupport.template();
        String source = "return #KEYS * 1000 + #ARGV + tonumber(ARGV[2])";
        byte[] sourceBytes = bytes(source);
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(sourceBytes));
        try (CommitConnection connection = CommitConnection.open(redis).orElseThrow()) {
            redis.execute(c -> c.scriptingCommands().scriptFlush()).blockLast();
            byte[][] keys = {bytes("k1"), bytes("k2")};
            byte[][] args = {bytes("a"), bytes("41"), bytes("")};
            assertThat(connection.eval(sha1, sourceBytes, keys, args).block()).as("NOSCRIPT, then EVAL").isEqualTo(2_044L);
            assertThat(connection.eval(sha1, sourceBytes, keys, new byte[][]{bytes("b"), bytes("7")}).block())
                    .as("EVALSHA: cached by the EVAL").isEqualTo(2_009L);
        }
    }

    private static String encoded(CommandArgs<byte[], byte[]> args) {
        ByteBuf buf = Unpooled.buffer();
        try {
            args.encode(buf);
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
