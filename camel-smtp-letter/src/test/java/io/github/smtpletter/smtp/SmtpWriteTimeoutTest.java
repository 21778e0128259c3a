package io.github.smtpletter.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.TestTls;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that stops reading while the client writes: a blocked socket write has no timeout of its own in Java, so
 * the session's watchdog closes the connection when no data is taken for the read timeout.
 */
class SmtpWriteTimeoutTest extends ScriptedTestSupport {

    /** Writes 78 MB of text: far more than the socket buffers hold. */
    private static final MessageWriter BIG = new MessageWriter() {
        @Override
        public void write(Letter letter, OutputStream out) throws IOException {
            byte[] line = ("y".repeat(76) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 1_000_000; i++) {
                out.write(line);
            }
        }

        @Override
        public long size(Letter letter) {
            return 78L * 1_000_000;
        }
    };

    @Test
    void aServerThatStopsReadingTheBodyCostsAtMostTheReadTimeout() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            // read nothing more until the test is done: the client's writes block once the buffers are full
            released.await(30, TimeUnit.SECONDS);
            c.awaitClientClose();
        });
        client(BIG, 64 * 1024, Duration.ofSeconds(2));
        SmtpConnectionParameters p = params().readTimeout(Duration.ofMillis(1500)).build();
        long t0 = System.nanoTime();
        SendResult r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> client.send(p, letter("x", "a@example.test")).get(0));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        released.countDown();
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.isRetryable());
        assertTrue(r.error().contains("took no data for 1500 ms"), r.error());
        assertTrue(ms < 5000, "took " + ms + " ms");
        assertEquals(0, client.openConnections());
    }

    @Test
    void theSameOverTls() throws Exception {
        SSLContext server = TestTls.serverContext();
        CountDownLatch released = new CountDownLatch(1);
        peer(c -> {
            c.greetAndEhlo("STARTTLS");
            c.expect("STARTTLS");
            c.send("220 2.0.0 Ready to start TLS");
            c.startTls(server);
            c.expect("EHLO client.test");
            c.send("250 peer.test");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            released.await(30, TimeUnit.SECONDS);
            try {
                c.awaitClientClose();
            } catch (SSLException | SocketException closedUnderTls) {
                // the client closed the TCP connection under the TLS layer
            }
        });
        client(BIG, 64 * 1024, Duration.ofSeconds(2));
        SmtpConnectionParameters p = params().security(SmtpSecurity.STARTTLS)
                .sslContext(TestTls.clientTrustingTestCertificate()).verifyHostname(false)
                .readTimeout(Duration.ofMillis(1500)).build();
        long t0 = System.nanoTime();
        SendResult r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> client.send(p, letter("x", "a@example.test")).get(0));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        released.countDown();
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.error().contains("took no data for 1500 ms"), r.error());
        assertTrue(ms < 5000, "took " + ms + " ms");
        assertEquals(0, client.openConnections());
    }
}
