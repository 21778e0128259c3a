package io.github.smtpletter.smtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.DsnNotify;
import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.DsnReturn;
import io.github.smtpletter.letter.Letter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The envelope and the server's extensions: SIZE, SMTPUTF8, 8BITMIME, DSN, and PIPELINING in bounded flights or
 * not at all.
 */
class SmtpTransactionEnvelopeTest extends ScriptedTestSupport {

    @Test
    void sizeLimitRejectsBeforeAnythingIsSentAndSizeIsDeclared() throws Exception {
        peer(c -> {
            c.greetAndEhlo("SIZE 100");
            c.expect("MAIL FROM:<sender@example.test> SIZE=15");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        Letter big = letter("y".repeat(200), "a@example.test");
        List<SendResult> results = client.send(params().build(), big, letter("x", "a@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.SENT);
        assertEquals("letter is 214 bytes, server 127.0.0.1:" + peer.port() + " accepts at most 100 (SIZE)",
                results.get(0).error());
        assertFalse(results.get(0).isRetryable());
    }

    @Test
    void withSizeASmallLetterIsWrittenOnceAndItsBytesAreSentAsMeasured() throws Exception {
        byte[][] sent = new byte[1][];
        peer(c -> {
            c.greetAndEhlo("SIZE 100000", "CHUNKING", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test> SIZE=19");
            c.expect("RCPT TO:<a@example.test>");
            sent[0] = c.expectBdat(true);
            c.send("250 ok", "250 ok", "250 ok: queued as S1");
            c.expectQuit();
        });
        int[] writes = new int[2];
        MessageWriter counting = new MessageWriter() {
            private final TestWriter delegate = new TestWriter();

            @Override
            public void write(Letter letter, OutputStream out) throws IOException {
                writes[0]++;
                delegate.write(letter, out);
            }

            @Override
            public long size(Letter letter) {
                writes[1]++;
                return delegate.size(letter);
            }
        };
        client(counting, 64 * 1024, Duration.ofSeconds(2));
        Letter l = letter("one\r\n", "a@example.test");
        List<SendResult> results = client.send(params().build(), l);
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT);
        assertArrayEquals(TestWriter.bytes(l), sent[0]);
        assertEquals(1, writes[0], "written once");
        assertEquals(0, writes[1], "not measured by a separate pass");
    }

    @Test
    void smallContentIsJudgedFromThePartsSizes() throws Exception {
        assertTrue(MessageContent.isSmall(letter("short", "a@example.test")));
        assertFalse(MessageContent.isSmall(letter("x".repeat(200_000), "a@example.test")));
        assertTrue(MessageContent.isSmall(Letter.from("a@example.test").to("b@example.test")
                .attach(Attachment.of("a.bin", new byte[10_000])).build()));
        assertFalse(MessageContent.isSmall(Letter.from("a@example.test").to("b@example.test")
                .attach(Attachment.of("a.bin", new byte[1_000_000])).build()));
        // unknown size (a stream): measured by a streaming pass, never buffered
        assertFalse(MessageContent.isSmall(Letter.from("a@example.test").to("b@example.test")
                .attach(Attachment.of("a.bin", "application/octet-stream",
                        () -> new ByteArrayInputStream(new byte[10]))).build()));
    }

    @Test
    void aMessageNotKnownToBeSmallGoesInBigBdatChunks() throws Exception {
        MessageWriter writer = MessageWriter.mime();
        int configured = BdatOutputStream.DEFAULT_CHUNK_SIZE;
        Letter small = letter("short", "a@example.test");
        Letter big = letter("x".repeat(200_000), "a@example.test");
        assertEquals(configured, new MessageContent(small, writer, null).chunkSize(configured));
        assertEquals(MessageContent.BIG_CHUNK_SIZE, new MessageContent(big, writer, null).chunkSize(configured));
        assertEquals(4 * MessageContent.BIG_CHUNK_SIZE,
                new MessageContent(big, writer, null).chunkSize(4 * MessageContent.BIG_CHUNK_SIZE));
        MessageContent measured = new MessageContent(small, writer, null);
        long size = measured.measure(); // held in memory: one chunk of exactly its size
        assertEquals(size, measured.chunkSize(configured));
    }

    @Test
    void smtpUtf8NotOfferedRejectsTheLetterAndSendsNothing() throws Exception {
        peer(c -> {
            c.greetAndEhlo("8BITMIME");
            plainTransaction(c, "Q", "a@example.test");
            c.expectQuit();
        });
        client();
        Letter intl = letter("x", "j\u00f6rg@example.test");
        List<SendResult> results = client.send(params().build(), intl, letter("y", "a@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.SENT);
        assertTrue(results.get(0).error().contains("SMTPUTF8"), results.get(0).error());
        assertTrue(results.get(0).error().contains("j\u00f6rg@example.test"), results.get(0).error());
    }

    @Test
    void smtpUtf8AndEightBitWhenOffered() throws Exception {
        peer(c -> {
            c.greetAndEhlo("8BITMIME", "SMTPUTF8");
            c.expect("MAIL FROM:<sender@example.test> BODY=8BITMIME SMTPUTF8");
            c.send("250 ok");
            c.expect("RCPT TO:<j\u00f6rg@b\u00fccher.example>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "j\u00f6rg@b\u00fccher.example")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }

    @Test
    void asciiEnvelopeUsesPunycodeDomainsAndNoBodyParameter() throws Exception {
        peer(c -> {
            c.greetAndEhlo("8BITMIME", "SMTPUTF8");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<user@xn--bcher-kva.example>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "user@b\u00fccher.example")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }

    @Test
    void dsnParametersWhenOffered() throws Exception {
        peer(c -> {
            c.greetAndEhlo("DSN");
            c.expect("MAIL FROM:<sender@example.test> RET=HDRS ENVID=env+2Bid+3D1");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test> NOTIFY=SUCCESS,FAILURE");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            // not offered on the next connection... same connection, a letter without DSN
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        Letter dsn = Letter.from("sender@example.test").to("a@example.test").text("x")
                .dsn(new DsnOptions(EnumSet.of(DsnNotify.FAILURE, DsnNotify.SUCCESS), DsnReturn.HEADERS, "env+id=1"))
                .build();
        List<SendResult> results = client.send(params().build(), dsn, letter("y", "a@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.SENT);
    }

    @Test
    void dsnIgnoredWhenNotOffered() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            plainTransaction(c, "Q", "a@example.test");
            c.expectQuit();
        });
        client();
        Letter dsn = Letter.from("sender@example.test").to("a@example.test").text("x")
                .dsn(DsnOptions.of(DsnNotify.NEVER)).build();
        SendResult r = client.send(params().build(), dsn).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status());
    }

    @Test
    void largeRecipientListsArePipelinedInBoundedFlights() throws Exception {
        int n = 150;
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rcpts.add("r" + i + "@example.test");
        }
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            for (int i = 0; i < CommandFlight.MAX_FLIGHT - 1; i++) {
                c.expect("RCPT TO:<" + rcpts.get(i) + ">");
            }
            String[] replies = new String[CommandFlight.MAX_FLIGHT];
            Arrays.fill(replies, "250 ok");
            replies[7] = "550 no"; // r6
            c.send(replies);
            for (int i = CommandFlight.MAX_FLIGHT - 1; i < n; i++) {
                c.expect("RCPT TO:<" + rcpts.get(i) + ">");
            }
            c.expect("DATA");
            String[] rest = new String[n - (CommandFlight.MAX_FLIGHT - 1) + 1];
            Arrays.fill(rest, "250 ok");
            rest[rest.length - 2] = "551 moved"; // r149
            rest[rest.length - 1] = "354 go";
            c.send(rest);
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", rcpts.toArray(String[]::new))).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.PARTIALLY_SENT, r.status(), r::toString);
        assertEquals(List.of("r6@example.test", "r149@example.test"),
                r.rejectedRecipients().stream().map(f -> f.recipient().address()).toList());
        assertEquals(n - 2, r.acceptedRecipients().size());
    }

    @Test
    void pipeliningDisabledWaitsForEachReply() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            plainTransaction(c, "Q", "a@example.test", "b@example.test");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().pipelining(false).build(),
                letter("x", "a@example.test", "b@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }
}
