package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BDAT chunks with PIPELINING (RFC 3030 section 4.2): a few chunks go ahead of their replies, a refused chunk or
 * envelope stops the transfer once the replies of the chunks already sent are read, and LAST only goes when every
 * earlier chunk was accepted.
 */
class SmtpBdatPipelinedChunksTest extends ScriptedTestSupport {

    /** 14 octets of header ("Subject: s" CRLF CRLF) and 80 of text: eleven chunks of 8 and a LAST of 6. */
    private static final String TEXT = "0123456789".repeat(8);

    @Test
    void chunksGoAheadOfTheirRepliesAndLastWaitsForThem() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            // the client does not wait for a reply before the next chunk: the peer reads five before answering any
            for (int i = 0; i < 5; i++) {
                data.write(c.expectBdat(false));
            }
            c.send("250 ok", "250 ok");
            for (int i = 5; i < 11; i++) {
                c.send("250 ok");
                data.write(c.expectBdat(false));
            }
            c.send("250 ok", "250 ok", "250 ok", "250 ok", "250 ok");
            data.write(c.expectBdat(true));
            c.send("250 2.0.0 Ok: queued as P1");
            c.expectQuit();
        });
        client(new TestWriter(), 8, Duration.ofSeconds(2));
        SendResult r = client.send(params().build(), letter(TEXT, "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("P1", r.queueId());
        assertArrayEquals(("Subject: s\r\n\r\n" + TEXT).getBytes(StandardCharsets.US_ASCII), data.toByteArray());
    }

    @Test
    void aRefusedMiddleChunkStopsTheTransferBeforeLast() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            for (int i = 0; i < 5; i++) {
                c.expectBdat(false);
            }
            c.send("250 ok", "250 ok", "250 ok", "552 5.3.4 message too big");
            c.expectBdat(false); // the sixth went before the refusal was read
            // the server discards the rest: every chunk sent is answered
            c.send("503 5.5.1 discarded", "503 5.5.1 discarded", "503 5.5.1 discarded", "503 5.5.1 discarded");
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client(new TestWriter(), 8, Duration.ofSeconds(2));
        SendResult r = client.send(params().build(), letter(TEXT, "a@example.test")).get(0);
        assertEquals(1, client.openConnections(), "the connection stays pooled");
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.REJECTED, r.status(), r::toString);
        assertTrue(r.error().contains("refused BDAT chunk 2: 552"), r.error());
    }

    @Test
    void aTransientlyRefusedMiddleChunkFailsTheLetterRetryably() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            for (int i = 0; i < 5; i++) {
                c.expectBdat(false);
            }
            c.send("250 ok", "250 ok", "250 ok", "452 4.3.1 insufficient storage");
            c.expectBdat(false);
            c.send("503 5.5.1 discarded", "503 5.5.1 discarded", "503 5.5.1 discarded", "503 5.5.1 discarded");
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client(new TestWriter(), 8, Duration.ofSeconds(2));
        SendResult r = client.send(params().build(), letter(TEXT, "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.isRetryable(), r::toString);
    }

    @Test
    void aRefusedEnvelopeWithChunksAheadReadsTheirRepliesAndResets() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            for (int i = 0; i < 5; i++) {
                c.expectBdat(false);
            }
            c.send("250 ok", "550 5.1.1 unknown user");
            for (int i = 0; i < 5; i++) {
                c.send("554 5.5.1 no valid recipients");
            }
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client(new TestWriter(), 8, Duration.ofSeconds(2));
        SendResult r = client.send(params().build(), letter(TEXT, "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.REJECTED, r.status(), r::toString);
        assertEquals(550, r.rejectedRecipients().get(0).code());
    }

    @Test
    void aDropWhileChunksAreAheadFailsTheLetterRetryably() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            for (int i = 0; i < 5; i++) {
                c.expectBdat(false);
            }
            c.send("250 ok", "250 ok", "250 ok");
            c.drop();
        });
        client(new TestWriter(), 8, Duration.ofSeconds(2));
        SendResult r = client.send(params().build(), List.of(letter(TEXT, "a@example.test"))).get(0);
        client.close();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.isRetryable(), r::toString);
    }
}
