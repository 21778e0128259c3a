package io.github.smtpletter.examples.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LatencyProxyTest {

    private static final Duration DELAY = Duration.ofMillis(40);

    private ServerSocket echo;
    private Thread echoThread;

    /** An echo server on 127.0.0.1 that serves connections one after the other. */
    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            while (!echo.isClosed()) {
                try (Socket s = echo.accept()) {
                    s.setSoTimeout(20_000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // next
                }
            }
        }, "echo");
        echoThread.setDaemon(true);
        echoThread.start();
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.close();
        echoThread.join(5_000);
    }

    private LatencyProxy proxy() throws IOException {
        return new LatencyProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), DELAY, 4);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        s.setSoTimeout(20_000);
        s.setTcpNoDelay(true);
        return s;
    }

    @Test
    void aRoundTripCostsTheDelayInEachDirection() throws Exception {
        try (LatencyProxy proxy = proxy(); Socket s = connect(proxy.port())) {
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                s.getOutputStream().write(new byte[] { (byte) i });
                int b = s.getInputStream().read();
                long rtt = System.nanoTime() - t0;
                assertEquals(i, b);
                assertTrue(rtt >= 2 * DELAY.toNanos(), "round trip " + rtt / 1_000_000.0 + " ms < 2 x delay");
                assertTrue(rtt < 2 * DELAY.toNanos() + TimeUnit.MILLISECONDS.toNanos(500),
                        "round trip " + rtt / 1_000_000.0 + " ms: far more than 2 x delay");
            }
        }
    }

    @Test
    void manyChunksKeepTheirOrderAndAreNotDelayedOneAfterTheOther() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        try (LatencyProxy proxy = proxy(); Socket s = connect(proxy.port())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] back = new byte[data.length];
                    new DataInputStream(s.getInputStream()).readFully(back);
                    return back;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            OutputStream out = s.getOutputStream();
            // many small writes: each may become its own chunk; the delays overlap, they do not add up
            for (int off = 0; off < data.length; off += 1000) {
                out.write(data, off, Math.min(1000, data.length - off));
            }
            byte[] back = received.get(30, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - t0;
            assertArrayEquals(data, back);
            assertTrue(elapsed >= 2 * DELAY.toNanos());
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "took " + elapsed / 1e9 + " s");
            assertEquals(2L * data.length, proxy.bytesForwarded());
        }
    }

    @Test
    void endOfStreamIsPassedOnAfterTheData() throws Exception {
        try (LatencyProxy proxy = proxy(); Socket s = connect(proxy.port())) {
            byte[] hello = "hello, world\r\n".getBytes();
            s.getOutputStream().write(hello);
            s.shutdownOutput();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            s.getInputStream().transferTo(back); // ends when the echo server's close comes through
            assertArrayEquals(hello, back.toByteArray());
        }
    }

    @Test
    void onlyForwardsToLoopback() {
        assertThrows(IllegalArgumentException.class,
                () -> new LatencyProxy(new InetSocketAddress("192.0.2.1", 25), DELAY, 1));
    }
}
