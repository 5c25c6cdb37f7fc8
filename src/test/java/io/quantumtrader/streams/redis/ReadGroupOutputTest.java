package io.quantumtrader.streams.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.RedisFuture;
import io.quantumtrader.streams.RedisTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReadGroupOutput} on a real Redis, over RESP2 and RESP3, alone and inside a {@code MULTI}, against what the test
 * wrote: two streams, an entry deleted while pending (nil fields), empty and non-ASCII values, and a read that finds
 * nothing (a nil reply). Over RESP3 Lettuce's own output is checked against the same list.
 */
class ReadGroupOutputTest {

    private static RedisClient client;

    @BeforeAll
    static void client() {
        LettuceConnectionFactory factory = (LettuceConnectionFactory) RedisTestSupport.template().getConnectionFactory();
        client = RedisClient.create(RedisURI.create(factory.getHostName(), factory.getPort()));
    }

    @AfterAll
    static void close() {
        client.shutdown();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void keepsWhatLettucesOwnOutputReadsAloneAndInsideATransaction(ProtocolVersion protocol) throws Exception {
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = connection.sync();
            String ns = RedisTestSupport.freshNamespace();
            byte[] a = bytes(ns + ":a");
            byte[] b = bytes(ns + ":b");
            for (byte[] key : List.of(a, b)) {
                redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0-0"), bytes("g"), io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
            }
            // what was written, in the order XREADGROUP returns it (stream a's entries, then b's)
            List<String> expected = new ArrayList<>();
            List<String> deleted = new ArrayList<>();
            List<String> bEntries = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String[] fa = {"id", "a" + i, "data", "{\"price\":" + i + "}"};
                String[] fb = {"id", "b" + i, "subject", "BTC-€", "data", i == 2 ? "" : "x"};
                String idA = redis.xadd(a, fields(fa));
                String idB = redis.xadd(b, fields(fb));
                if (i == 1) {
                    deleted.add(idA);
                    expected.add(ns + ":a " + idA + " []");
                } else {
                    expected.add(ns + ":a " + idA + " " + List.of(fa));
                }
                bEntries.add(ns + ":b " + idB + " " + List.of(fb));
            }
            expected.addAll(bEntries);
            assertThat(read(connection, a, b, ">", false)).as("nothing pending yet, four new entries in each").hasSize(8);
            redis.xdel(a, deleted.get(0));   // deleted while pending: re-read, it comes back with nil fields

            for (boolean inTransaction : new boolean[]{false, true}) {
                assertThat(read(connection, a, b, "0", inTransaction)).as("%s, in a transaction: %s", protocol, inTransaction)
                        .extracting(e -> new String(e.stream(), StandardCharsets.UTF_8) + " " + e.idString() + " "
                                + strings(e.fieldsAndValues()))
                        .containsExactlyElementsOf(expected);
                assertThat(read(connection, a, b, ">", inTransaction)).as("nothing new: a nil reply").isEmpty();
            }
            if (protocol == ProtocolVersion.RESP3) {
                // Lettuce's own output agrees over RESP3 (over RESP2 its 7.5.2 folds the entries after the first into
                // the first one's body: lettuce issue #3800)
                List<StreamMessage<byte[], byte[]>> lettuces = redis.xreadgroup(Consumer.from(bytes("g"), bytes("c")),
                        XReadArgs.Builder.count(10), XReadArgs.StreamOffset.from(a, "0"), XReadArgs.StreamOffset.from(b, "0"));
                assertThat(lettuces).extracting(m -> new String(m.getStream(), StandardCharsets.UTF_8) + " " + m.getId()
                        + " " + flat(m.getBody())).containsExactlyElementsOf(expected);
            }
        }
    }

    /** XREADGROUP GROUP g c COUNT 10 STREAMS a b offset offset with the output under test, alone or inside MULTI … EXEC. */
    private static List<RawStreamEntry> read(StatefulRedisConnection<byte[], byte[]> connection, byte[] a, byte[] b,
                                             String offset, boolean inTransaction) throws Exception {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("GROUP").add(bytes("g"))
                .add(bytes("c")).add("COUNT").add(10).add("STREAMS").addKey(a).addKey(b).add(offset).add(offset);
        if (!inTransaction) {
            return connection.async().dispatch(CommandType.XREADGROUP, new ReadGroupOutput(), args).get(10, TimeUnit.SECONDS);
        }
        connection.async().multi().get(10, TimeUnit.SECONDS);
        RedisFuture<List<RawStreamEntry>> reply = connection.async().dispatch(CommandType.XREADGROUP, new ReadGroupOutput(), args);
        assertThat(connection.async().exec().get(10, TimeUnit.SECONDS).wasDiscarded()).isFalse();
        return reply.get(10, TimeUnit.SECONDS);
    }

    private static Map<byte[], byte[]> fields(String[] fv) {
        Map<byte[], byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < fv.length; i += 2) {
            m.put(bytes(fv[i]), bytes(fv[i + 1]));
        }
        return m;
    }

    private static List<String> flat(Map<byte[], byte[]> body) {
        List<String> out = new ArrayList<>();
        body.forEach((f, v) -> {
            out.add(new String(f, StandardCharsets.UTF_8));
            out.add(v == null ? null : new String(v, StandardCharsets.UTF_8));
        });
        return out;
    }

    private static List<String> strings(List<byte[]> values) {
        return values.stream().map(v -> v == null ? null : new String(v, StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
