package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages in BDAT chunks (CHUNKING): exact bytes, one flight when pipelined, refusals and broken connections. */
class SmtpTransactionChunkingTest extends ScriptedTestSupport {

    @Test
    void bdatChunksWithoutPipeliningCarryTheExactBytes() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<String> bdatLines = new ArrayList<>();
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "ENHANCEDSTATUSCODES");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 2.1.0 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 2.1.5 ok");
            for (int i = 0; i < 2; i++) {
                data.write(c.expectBdat(false));
                c.send("250 2.0.0 " + data.size() + " octets received");
            }
            data.write(c.expectBdat(true));
            c.send("250 2.0.0 Ok: queued as BD4T");
            bdatLines.addAll(c.lines());
            c.expectQuit();
        });
        client(new TestWriter(), 16, Duration.ofSeconds(2));
        String text = ".starts with a dot\r\n.\r\nend"; // never stuffed in BDAT
        SendResult r = client.send(params().build(), letter(text, "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("BD4T", r.queueId());
        assertArrayEquals(("Subject: s\r\n\r\n" + text).getBytes(StandardCharsets.US_ASCII), data.toByteArray());
        assertEquals(List.of("BDAT 16", "BDAT 16", "BDAT 8 LAST"),
                bdatLines.stream().filter(l -> l.startsWith("BDAT")).toList());
    }

    @Test
    void bdatWithPipeliningIsOneFlightAlsoOnAReusedConnectionThatAnsweredLately() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            byte[] first = c.expectBdat(true);
            assertEquals("Subject: s\r\n\r\none", new String(first, StandardCharsets.US_ASCII));
            c.send("250 ok", "250 ok", "250 ok: queued as F1");
            // reused, but it answered a moment ago and is quiet: the whole message in one flight again, after the
            // RSET that closes the first letter's transaction should its envelope have been refused
            c.expect("RSET");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<b@example.test>");
            byte[] second = c.expectBdat(true);
            assertEquals("Subject: s\r\n\r\ntwo", new String(second, StandardCharsets.US_ASCII));
            c.send("250 ok", "250 ok", "250 ok", "250 ok: queued as F2");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("one", "a@example.test"),
                letter("two", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.SENT);
        assertEquals("F1", results.get(0).queueId());
        assertEquals("F2", results.get(1).queueId());
    }

    @Test
    void bdatDefersLastOnAReusedConnectionNotHeardFromWithinTheCheckThreshold() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            byte[] first = c.expectBdat(true);
            assertEquals("Subject: s\r\n\r\none", new String(first, StandardCharsets.US_ASCII));
            c.send("250 ok", "250 ok", "250 ok: queued as F1");
            // reused and (threshold zero) not heard from lately: the first flight does not complete the message
            c.expect("RSET");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<b@example.test>");
            byte[] second = c.expectBdat(false);
            assertEquals("Subject: s\r\n\r\ntwo", new String(second, StandardCharsets.US_ASCII));
            c.send("250 ok", "250 ok", "250 ok", "250 ok");
            assertEquals(0, c.expectBdat(true).length);
            c.send("250 ok: queued as F2");
            c.expectQuit();
        });
        client(new TestWriter(), 64 * 1024, Duration.ZERO);
        List<SendResult> results = client.send(params().build(), letter("one", "a@example.test"),
                letter("two", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.SENT);
        assertEquals("F1", results.get(0).queueId());
        assertEquals("F2", results.get(1).queueId());
    }

    @Test
    void bdatWithAllRecipientsRefusedIsRejectedAndRset() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            c.expectBdat(true);
            c.send("250 ok", "550 5.1.1 unknown user", "554 5.5.1 no valid recipients");
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.REJECTED, r.status(), r::toString);
        assertEquals(550, r.rejectedRecipients().get(0).code());
    }

    @Test
    void bdatChunkRefusedStopsTheTransfer() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expectBdat(false);
            c.send("552 5.3.4 message too big");
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client(new TestWriter(), 8, Duration.ofSeconds(2));
        SendResult r = client.send(params().build(), letter("a long enough text", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.REJECTED, r.status(), r::toString);
        assertTrue(r.error().contains("refused BDAT chunk 1: 552"), r.error());
    }

    @Test
    void bdatContentFailureBeforeTheFirstChunkKeepsTheConnection() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok", "250 ok");
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client(TestWriter.failingAfter(5), 64 * 1024, Duration.ofSeconds(2));
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        assertEquals(1, client.openConnections(), "the connection stays pooled");
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.REJECTED, r.status(), r::toString);
    }

    @Test
    void bdatDropAfterLastIsUnknown() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expectBdat(true);
            c.drop();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.UNKNOWN, r.status(), r::toString);
    }

    @Test
    void chunkingDisabledUsesData() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING");
            plainTransaction(c, "Q", "a@example.test");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().chunking(false).build(), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }
}
