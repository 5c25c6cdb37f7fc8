package io.quantumtrader.streams.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a Redis the test started: it forwards both ways until {@link #holdReplies()},
 * then keeps forwarding commands to Redis but no longer passes its replies on (they are read and kept back), as a
 * reply lost between Redis and the client would look to the client. For tests of what a reply that never comes does.
 * {@link #dropConnectionOnNextReply()} instead loses one reply with its connection: Redis ran the commands, the client
 * sees the connection reset before their reply, reconnects (through the proxy again) and may send them again.
 */
public final class ReplyHoldingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int redisPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean holding;
    private final java.util.concurrent.atomic.AtomicBoolean dropNext = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ScheduledExecutorService chaos =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "reply-holding-proxy-chaos");
                t.setDaemon(true);
                return t;
            });

    /** @param redisPort the port of the Redis on loopback to forward to */
    public ReplyHoldingProxy(int redisPort) throws IOException {
        this.redisPort = redisPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "reply-holding-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** @return the port clients connect to */
    public int port() {
        return server.getLocalPort();
    }

    /** From now on, Redis' replies are not passed on. */
    void holdReplies() {
        holding = true;
    }

    /**
     * The next reply Redis sends on any connection is not passed on: its connection is closed on both sides instead,
     * once (later connections and replies pass).
     */
    public void dropConnectionOnNextReply() {
        dropNext.set(true);
    }

    /**
     * From now on, every {@code period} the next reply on any connection is lost with its connection
     * ({@link #dropConnectionOnNextReply()}), until {@link #close()}.
     */
    public void dropConnectionsEvery(java.time.Duration period) {
        chaos.scheduleAtFixedRate(this::dropConnectionOnNextReply, period.toMillis(), period.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** @return connections closed by {@link #dropConnectionOnNextReply()} so far */
    public int connectionsDropped() {
        return dropped.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                sockets.add(client);
                sockets.add(redis);
                pump(client.getInputStream(), redis.getOutputStream(), null);
                pump(redis.getInputStream(), client.getOutputStream(), List.of(client, redis));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** @param pair the connection's two sockets when {@code in} carries Redis' replies, else null */
    private void pump(InputStream in, OutputStream out, List<Socket> pair) {
        boolean replies = pair != null;
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (replies && holding) {
                        continue; // read and kept back: the client never sees it
                    }
                    if (replies && dropNext.compareAndSet(true, false)) {
                        dropped.incrementAndGet();
                        for (Socket s : pair) {
                            s.close(); // the reply is lost with its connection
                        }
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // a side closed: the pump ends
            }
        }, "reply-holding-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        chaos.shutdownNow();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
