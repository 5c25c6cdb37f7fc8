package io.quantumtrader.streams.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The arguments of an {@code EVALSHA}/{@code EVAL} written out as RESP bulk strings once, on the thread that builds
 * the commit, instead of one Lettuce argument object per key and value encoded one by one on the connection's I/O
 * thread. A commit of 500 records had ~9,000 arguments (~3,500 since its outputs name their fields once per run):
 * Lettuce's {@link CommandArgs} grew its list to hold them and wrapped and encoded each on the I/O thread (JFR,
 * docs/BENCHMARKS.md, section 2026-12-03 09:31 UTC); written out once, the JVM spent 6–12 % less CPU per record. Standalone Redis only ({@link CommitConnection}): cluster routing
 * reads a command's first key, which this class does not expose.
 */
final class EncodedScriptArgs extends CommandArgs<byte[], byte[]> {

    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] resp;
    private final int count;

    private EncodedScriptArgs(byte[] resp, int count) {
        super(ByteArrayCodec.INSTANCE);
        this.resp = resp;
        this.count = count;
    }

    /**
     * @param script the script's SHA-1 (for EVALSHA) or its source (for EVAL), as sent
     * @param keys   the script's keys
     * @param args   the script's arguments
     * @return {@code script numkeys key… arg…} as RESP bulk strings
     */
    static EncodedScriptArgs of(byte[] script, byte[][] keys, byte[][] args) {
        byte[] numKeys = Integer.toString(keys.length).getBytes(StandardCharsets.US_ASCII);
        int size = bulkSize(script) + bulkSize(numKeys);
        for (byte[] k : keys) {
            size += bulkSize(k);
        }
        for (byte[] a : args) {
            size += bulkSize(a);
        }
        byte[] out = new byte[size];
        int at = put(out, 0, script);
        at = put(out, at, numKeys);
        for (byte[] k : keys) {
            at = put(out, at, k);
        }
        for (byte[] a : args) {
            at = put(out, at, a);
        }
        return new EncodedScriptArgs(out, 2 + keys.length + args.length);
    }

    /** @return the number of arguments (the RESP array's length is one more: the command's name) */
    @Override
    public int count() {
        return count;
    }

    @Override
    public void encode(ByteBuf buf) {
        buf.writeBytes(resp);
    }

    @Override
    public String toCommandString() {
        return "<" + count + " arguments, " + resp.length + " bytes of RESP>";
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + toCommandString();
    }

    private static int bulkSize(byte[] value) {
        return 1 + digits(value.length) + 2 + value.length + 2;
    }

    /** Writes {@code $<length>\r\n<value>\r\n} at {@code at}; @return the index after it */
    private static int put(byte[] out, int at, byte[] value) {
        out[at++] = '$';
        String length = Integer.toString(value.length);
        for (int i = 0; i < length.length(); i++) {
            out[at++] = (byte) length.charAt(i);
        }
        out[at++] = CRLF[0];
        out[at++] = CRLF[1];
        System.arraycopy(value, 0, out, at, value.length);
        at += value.length;
        out[at++] = CRLF[0];
        out[at++] = CRLF[1];
        return at;
    }

    private static int digits(int n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }
}
