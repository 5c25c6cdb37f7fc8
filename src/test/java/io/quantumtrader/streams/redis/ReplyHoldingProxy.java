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
 */
final class ReplyHoldingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int redisPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean holding;

    ReplyHoldingProxy(int redisPort) throws IOException {
        this.redisPort = redisPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "reply-holding-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    /** @return the port clients connect to */
    int port() {
        return server.getLocalPort();
    }

    /** From now on, Redis' replies are not passed on. */
    void holdReplies() {
        holding = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                sockets.add(client);
                sockets.add(redis);
                pump(client.getInputStream(), redis.getOutputStream(), false);
                pump(redis.getInputStream(), client.getOutputStream(), true);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean replies) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (replies && holding) {
                        continue; // read and kept back: the client never sees it
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
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
