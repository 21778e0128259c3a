package io.github.smtpletter.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection lost during a transaction: the letter is FAILED (retryable) before the end of the message was sent,
 * UNKNOWN after it.
 */
class SmtpTransactionBrokenConnectionTest extends ScriptedTestSupport {

    @Test
    void dropAfterMailOnAFreshConnectionIsFailedRetryableAndNotResent() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.drop();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.isRetryable());
        assertTrue(r.error().contains("lost before the message was sent completely"), r.error());
        assertEquals(1, peer.connectionCount());
        assertEquals(0, client.openConnections());
    }

    @Test
    void a421ToRcptStopsTheTransactionAndTheConnection() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<b@example.test>");
            c.send("421 4.3.2 shutting down");
            c.drop();
        }, c -> {
            c.greetAndEhlo();
            plainTransaction(c, "Q2", "c@example.test");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(),
                letter("x", "a@example.test", "b@example.test", "d@example.test"), letter("y", "c@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.FAILED, SendStatus.SENT);
        SendResult r = results.get(0);
        assertTrue(r.isRetryable());
        assertEquals(421, r.serverReply().code());
        assertTrue(r.error().contains("server said 421"), r.error());
        assertTrue(r.rejectedRecipients().isEmpty(), "a closing server judged no recipient");
        assertEquals(2, peer.connectionCount());
    }

    @Test
    void dropMidBodyIsFailedRetryable() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readBytes(10_000);
            c.drop(); // unread data pending: the client gets a reset while still writing
        });
        // a large message: the client is still writing when the connection is reset
        MessageWriter big = new MessageWriter() {
            @Override
            public void write(Letter letter, OutputStream out) throws IOException {
                byte[] line = ("x".repeat(76) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 1_000_000; i++) {
                    out.write(line);
                }
            }

            @Override
            public long size(Letter letter) {
                return 78L * 1_000_000;
            }
        };
        client(big, 64 * 1024, Duration.ofSeconds(2));
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.isRetryable());
        assertEquals(0, client.openConnections());
    }

    @Test
    void dropAfterTheFinalDotIsUnknown() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            plainTransactionWithoutFinalReply(c);
            c.drop();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.UNKNOWN, r.status(), r::toString);
        assertFalse(r.isRetryable());
        assertFalse(r.isSent());
        assertEquals(List.of("a@example.test"), addresses(r.acceptedRecipients()));
        assertTrue(r.error().contains("may have accepted"), r.error());
        assertEquals(1, peer.connectionCount());
    }

    @Test
    void silenceAfterTheFinalDotIsUnknownWithinTheDataTimeout() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            plainTransactionWithoutFinalReply(c);
            c.awaitClientClose();
        });
        client();
        long t0 = System.nanoTime();
        SendResult r = client.send(params().dataTimeout(Duration.ofMillis(1000)).build(),
                letter("x", "a@example.test")).get(0);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        peer.assertNoErrors();
        assertEquals(SendStatus.UNKNOWN, r.status(), r::toString);
        assertTrue(r.error().contains("no reply within 1000 ms"), r.error());
        assertTrue(ms < 5000, "took " + ms + " ms");
    }

    private static void plainTransactionWithoutFinalReply(ScriptedSmtpPeer.Conn c) throws IOException {
        c.expect("MAIL FROM:<sender@example.test>");
        c.send("250 ok");
        c.expect("RCPT TO:<a@example.test>");
        c.send("250 ok");
        c.expect("DATA");
        c.send("354 go");
        c.readData();
    }

    @Test
    void contentFailureMidBodyClosesTheConnectionWithoutEndingTheData() throws Exception {
        byte[][] received = new byte[1][];
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.awaitClientClose();
            received[0] = c.received();
        }, c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<b@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.awaitClientClose();
        });
        client(TestWriter.failingAfter(12), 64 * 1024, Duration.ofSeconds(2));
        List<SendResult> results = client.send(params().build(), letter("body", "a@example.test"),
                letter("body", "b@example.test"));
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.REJECTED);
        assertTrue(results.get(0).error().contains("attachment /tmp/missing.pdf cannot be read"),
                results.get(0).error());
        String wire = new String(received[0], StandardCharsets.US_ASCII);
        // whatever of the content reached the wire, the data was never ended
        String afterData = wire.substring(wire.indexOf("DATA\r\n") + 6);
        assertTrue(afterData.isEmpty() || "Subject: s\r\n".startsWith(afterData), wire);
        assertEquals(2, peer.connectionCount(), "the second letter needed a new connection");
    }
}
