package io.github.smtpletter.examples.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that delays every chunk of bytes by a fixed time in each direction, preserving order:
 * what it reads at time t from one side is written to the other side at t + delay. It models a link with that
 * one-way latency (and no bandwidth limit): a round trip through it costs twice the delay.
 * <p>
 * Thread-per-direction: for each accepted connection a reader thread per direction takes chunks off one socket and
 * queues them with their due time; a writer thread per direction writes each chunk when it is due. End of stream
 * (half-close) is passed on with the same delay. Bounded: at most {@code maxConnections} connections at once
 * (further ones are closed at once), at most {@link #MAX_IN_FLIGHT} bytes queued per direction (the reader then
 * waits, like a full TCP window), the target is only ever a loopback address, and {@link #close()} ends every
 * connection and thread.
 */
public final class LatencyProxy implements AutoCloseable {

    /** Most bytes queued (read, not yet written) per direction of one connection. */
    static final int MAX_IN_FLIGHT = 4 * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final InetSocketAddress target;
    private final long delayNanos;
    private final int maxConnections;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong bytesForwarded = new AtomicLong();
    private volatile boolean closed;

    /**
     * Starts a proxy listening on an ephemeral port of 127.0.0.1.
     *
     * @param target         where to forward to; must be a loopback address
     * @param oneWayDelay    the delay added in each direction
     * @param maxConnections connections served at once
     */
    public LatencyProxy(InetSocketAddress target, Duration oneWayDelay, int maxConnections) throws IOException {
        this.target = Objects.requireNonNull(target, "target");
        if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the proxy only forwards to loopback addresses, not " + target);
        }
        if (oneWayDelay.isNegative()) {
            throw new IllegalArgumentException("negative delay");
        }
        this.delayNanos = oneWayDelay.toNanos();
        this.maxConnections = maxConnections;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        this.acceptor = new Thread(this::acceptLoop, "latency-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the port the proxy listens on (127.0.0.1) */
    public int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted so far */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** @return bytes forwarded so far, both directions */
    public long bytesForwarded() {
        return bytesForwarded.get();
    }

    /** Closes the listener and every connection, and waits (bounded) for the threads to end. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        List<Connection> all = new ArrayList<>(connections);
        for (Connection c : all) {
            c.close();
        }
        join(acceptor);
        for (Connection c : all) {
            c.join();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("latency proxy: accept failed: " + e);
                }
                return;
            }
            if (connections.size() >= maxConnections || closed) {
                closeQuietly(client);
                continue;
            }
            accepted.incrementAndGet();
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            Connection c = new Connection(client, upstream);
            connections.add(c);
            c.start();
        }
    }

    /** One proxied connection: two directions. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        private final Direction up;
        private final Direction down;
        private final AtomicInteger finished = new AtomicInteger();

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
            String name = "latency-proxy-" + client.getPort();
            this.up = new Direction(name + "-up", client, upstream, this);
            this.down = new Direction(name + "-down", upstream, client, this);
        }

        void start() {
            up.start();
            down.start();
        }

        void directionDone() {
            if (finished.incrementAndGet() == 2) {
                close();
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
            up.stop();
            down.stop();
            connections.remove(this);
        }

        void join() {
            up.join();
            down.join();
        }
    }

    /** A chunk of bytes (or end of stream when {@code data == null}) and when it is due on the other side. */
    private record Chunk(byte[] data, long dueNanos) {
    }

    /** One direction of a connection: a reader thread and a writer thread joined by a FIFO of due chunks. */
    private final class Direction {
        private final Socket from;
        private final Socket to;
        private final Connection connection;
        private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final Semaphore window = new Semaphore(MAX_IN_FLIGHT);
        private final Thread reader;
        private final Thread writer;
        private volatile boolean stopped;

        Direction(String name, Socket from, Socket to, Connection connection) {
            this.from = from;
            this.to = to;
            this.connection = connection;
            this.reader = new Thread(this::readLoop, name + "-read");
            this.writer = new Thread(this::writeLoop, name + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
        }

        void start() {
            reader.start();
            writer.start();
        }

        void stop() {
            stopped = true;
            reader.interrupt();
            writer.interrupt();
        }

        void join() {
            LatencyProxy.join(reader);
            LatencyProxy.join(writer);
        }

        private void readLoop() {
            byte[] buf = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                while (!stopped) {
                    int n = in.read(buf);
                    long due = System.nanoTime() + delayNanos;
                    if (n < 0) {
                        queue.put(new Chunk(null, due));
                        return;
                    }
                    window.acquire(n);
                    byte[] copy = new byte[n];
                    System.arraycopy(buf, 0, copy, 0, n);
                    queue.put(new Chunk(copy, due));
                }
            } catch (IOException | InterruptedException e) {
                // connection closed or proxy stopped: tell the writer
                queue.offer(new Chunk(null, System.nanoTime()));
            }
        }

        private void writeLoop() {
            try {
                OutputStream out = to.getOutputStream();
                while (!stopped) {
                    Chunk c = queue.take();
                    long wait;
                    while ((wait = c.dueNanos() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                        if (Thread.interrupted()) {
                            return;
                        }
                    }
                    if (c.data() == null) {
                        try {
                            to.shutdownOutput();
                        } catch (IOException ignored) {
                            // the other side is gone already
                        }
                        break;
                    }
                    out.write(c.data());
                    bytesForwarded.addAndGet(c.data().length);
                    window.release(c.data().length);
                }
            } catch (SocketException e) {
                connection.close(); // one side broke: end both
            } catch (IOException | InterruptedException e) {
                // stopped
            } finally {
                connection.directionDone();
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
