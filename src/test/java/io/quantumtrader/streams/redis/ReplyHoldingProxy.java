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
 * {@link #cutNextRequestBefore} cuts a pipelined request in two: Redis gets and answers its first part, then the
 * connection is lost before the rest is sent. {@link #delayRepliesAfter} slows one connection down for a while: a Redis
 * that is slow to answer one step and not the steps before it.
 */
public final class ReplyHoldingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int redisPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean holding;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean dropNext = new java.util.concurrent.atomic.AtomicBoolean();
    /** Drops armed so far ({@link #dropConnectionOnNextReplyWithin}): a window's end disarms only its own arm. */
    private final java.util.concurrent.atomic.AtomicLong arms = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String cutBefore;
    /** Text of the request whose connection is lost after Redis ran it ({@link #dropConnectionAfterRequestWith}). */
    private final java.util.concurrent.atomic.AtomicReference<String> dropAfter = new java.util.concurrent.atomic.AtomicReference<>();
    /** Text of the request that starts a delay ({@link #delayRepliesAfter}), and the delay in ns; null when not armed. */
    private final java.util.concurrent.atomic.AtomicReference<java.util.Map.Entry<String, Long>> delayAfter =
            new java.util.concurrent.atomic.AtomicReference<>();
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
     * The next reply Redis sends within {@code window} on any connection is lost with its connection; none if no reply
     * comes that soon. (A drop armed until it happens always hit a quiet client's reconnect: its handshake was the only
     * reply, so every reconnect failed and the client never came back, as no network does.)
     */
    public void dropConnectionOnNextReplyWithin(java.time.Duration window) {
        long arm = arms.incrementAndGet();
        dropNext.set(true);
        chaos.schedule(() -> {
            if (arms.get() == arm) { // not a later arm's window
                keepNextReply();
            }
        }, window.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * From now on, once in every {@code period} the next reply on any connection within a quarter of the period is lost
     * with its connection ({@link #dropConnectionOnNextReplyWithin}), until {@link #close()}. The window opens at a random
     * point of each period: windows at a fixed rate kept one phase against Lettuce's timer (a {@code HashedWheelTimer}
     * of 100 ms ticks, which starts every reconnect attempt), so when a run's phase put the reconnect's handshake reply
     * inside the window, every attempt of a quiet connection was lost the same way and it never came back.
     */
    public void dropConnectionsEvery(java.time.Duration period) {
        armWithin(System.nanoTime() + period.toNanos(), period.toNanos());
    }

    /** Arms one window at a random point of the period that starts at {@code start} (nanoTime), then the next period's. */
    private void armWithin(long start, long period) {
        long window = period / 4;
        long at = start + java.util.concurrent.ThreadLocalRandom.current().nextLong(period - window + 1);
        try {
            chaos.schedule(() -> {
                dropConnectionOnNextReplyWithin(java.time.Duration.ofNanos(window));
                armWithin(start + period, period);
            }, Math.max(0, at - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /**
     * The next request (on any connection) that contains {@code command} goes to Redis only up to that command; Redis'
     * replies to that part reach the client, then the connection is closed on both sides (once).
     */
    public void cutNextRequestBefore(String command) {
        cutBefore = "$" + command.length() + "\r\n" + command + "\r\n";
    }

    /**
     * The next request (on any connection) that contains {@code text} (e.g. a key, or {@code maxmemory-policy}) goes to
     * Redis at once, but Redis' replies on its connection, to it and to every later request there, reach the client
     * only {@code delay} after it was sent (once; in order; nothing is lost).
     */
    public void delayRepliesAfter(String text, java.time.Duration delay) {
        delayAfter.set(java.util.Map.entry(text, delay.toNanos()));
    }

    /**
     * The next request (on any connection) that contains {@code text} goes to Redis; from then on the replies of its
     * connection are kept back, and 300 ms later (Redis ran it) the connection is closed on both sides (once): its
     * reply is lost with its connection, whatever else was pipelined on it.
     */
    public void dropConnectionAfterRequestWith(String text) {
        dropAfter.set(text);
    }

    /** Text that marks the connection that sends it ({@link #markConnectionsSending}). */
    private volatile String markText;
    private final List<java.util.concurrent.atomic.AtomicLong> marked = new CopyOnWriteArrayList<>();

    /** Connections that send a request containing {@code text} from now on are marked ({@link #blackHoleMarked}). */
    public void markConnectionsSending(String text) {
        markText = text;
    }

    /** @return connections marked so far */
    public int markedConnections() {
        return marked.size();
    }

    /**
     * From now on the marked connections pass requests to Redis but none of its replies (a connection whose return
     * path went silent: Redis runs the commands, the client never hears back); other and later connections work.
     */
    public void blackHoleMarked() {
        marked.forEach(h -> h.set(Long.MAX_VALUE));
    }

    /** Takes back a {@link #dropConnectionOnNextReply()} that has not happened yet. */
    public void keepNextReply() {
        dropNext.set(false);
    }

    /** @return connections closed by {@link #dropConnectionOnNextReply()} or {@link #cutNextRequestBefore} so far */
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
                if (closed) {
                    // close() ran between this accept and the adds: its loop missed this pair, which would work on
                    // (LostReadReplyTest read a batch through a closed proxy once, with two test JVMs side by side)
                    client.close();
                    redis.close();
                    return;
                }
                // nanoTime before which this connection's replies are held back (delayRepliesAfter)
                java.util.concurrent.atomic.AtomicLong heldUntil = new java.util.concurrent.atomic.AtomicLong(); // 0: none
                requests(client.getInputStream(), redis.getOutputStream(), List.of(client, redis), heldUntil);
                pump(redis.getInputStream(), client.getOutputStream(), List.of(client, redis), heldUntil);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Commands to Redis, cut before {@link #cutBefore} when it is set. */
    private void requests(InputStream in, OutputStream out, List<Socket> pair,
                          java.util.concurrent.atomic.AtomicLong heldUntil) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    java.util.Map.Entry<String, Long> delay = delayAfter.get();
                    if (delay != null && new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains(delay.getKey()) && delayAfter.compareAndSet(delay, null)) {
                        heldUntil.set(System.nanoTime() + delay.getValue()); // before Redis can answer it
                    }
                    String mark = markText;
                    if (mark != null && !marked.contains(heldUntil) && new String(buffer, 0, n,
                            java.nio.charset.StandardCharsets.ISO_8859_1).contains(mark)) {
                        marked.add(heldUntil);
                    }
                    String armed = dropAfter.get();
                    if (armed != null && new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains(armed) && dropAfter.compareAndSet(armed, null)) {
                        heldUntil.set(Long.MAX_VALUE); // replies of this connection kept back from now on
                        out.write(buffer, 0, n);
                        out.flush();
                        Thread.sleep(300);
                        dropped.incrementAndGet();
                        for (Socket s : pair) {
                            s.close();
                        }
                        return;
                    }
                    String cut = cutBefore;
                    if (cut == null) {
                        out.write(buffer, 0, n);
                        out.flush();
                        continue;
                    }
                    held.write(buffer, 0, n);
                    byte[] request = held.toByteArray();
                    String text = new String(request, java.nio.charset.StandardCharsets.ISO_8859_1);
                    int at = text.indexOf(cut);
                    if (at < 0) {
                        continue; // the command may come in the next segment
                    }
                    cutBefore = null;
                    out.write(request, 0, text.lastIndexOf('*', at)); // up to the command's array header
                    out.flush();
                    Thread.sleep(300); // Redis answers the first part, and its replies reach the client
                    dropped.incrementAndGet();
                    for (Socket s : pair) {
                        s.close();
                    }
                    return;
                }
            } catch (IOException | InterruptedException e) {
                // a side closed: the pump ends
            }
        }, "reply-holding-proxy-requests");
        t.setDaemon(true);
        t.start();
    }

    /** @param pair the connection's two sockets when {@code in} carries Redis' replies, else null */
    private void pump(InputStream in, OutputStream out, List<Socket> pair, java.util.concurrent.atomic.AtomicLong heldUntil) {
        boolean replies = pair != null;
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    long until = heldUntil.get();
                    if (until == Long.MAX_VALUE) {
                        continue; // kept back: the connection is about to be lost (dropConnectionAfterRequestWith)
                    }
                    long wait = until == 0 ? 0 : until - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // replies after it come later still
                    }
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
            } catch (IOException | InterruptedException e) {
                // a side closed: the pump ends
            }
        }, "reply-holding-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        chaos.shutdownNow();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
