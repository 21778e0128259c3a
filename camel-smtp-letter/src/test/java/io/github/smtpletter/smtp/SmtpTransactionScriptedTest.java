package io.github.smtpletter.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.smtpletter.letter.DsnNotify;
import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.DsnReturn;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;

/** Mail transactions against the scripted peer: statuses, pipelining, BDAT, SIZE, SMTPUTF8, DSN. */
class SmtpTransactionScriptedTest extends ScriptedTestSupport {

    private static List<String> addresses(List<MailAddress> list) {
        return list.stream().map(MailAddress::address).toList();
    }

    // ------------------------------------------------------------------------------------ per-recipient results

    @Test
    void pipelinedFlightMatchesRepliesToRecipients() throws Exception {
        byte[][] data = new byte[1][];
        peer(c -> {
            c.greetAndEhlo("PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME");
            // the peer reads the whole flight before answering: a client waiting for a reply would time out
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            c.expect("RCPT TO:<b@example.test>");
            c.expect("RCPT TO:<c@example.test>");
            c.expect("DATA");
            c.send("250 2.1.0 Ok", "250 2.1.5 Ok", "550 5.1.1 <b@example.test>: Recipient address rejected",
                    "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>");
            data[0] = c.readData();
            c.send("250 2.0.0 Ok: queued as ABC123");
            c.expectQuit();
        });
        client();
        Letter l = Letter.from("sender@example.test").to("a@example.test", "b@example.test")
                .cc("c@example.test").subject("s").text("hi\r\n").build();
        SendResult r = client.send(params().build(), l).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.PARTIALLY_SENT, r.status(), r::toString);
        assertTrue(r.isSent());
        assertFalse(r.isRetryable());
        assertEquals(List.of("a@example.test", "c@example.test"), addresses(r.acceptedRecipients()));
        assertEquals(1, r.rejectedRecipients().size());
        RecipientFailure f = r.rejectedRecipients().get(0);
        assertEquals("b@example.test", f.recipient().address());
        assertEquals(550, f.code());
        assertEquals("5.1.1", f.enhancedCode());
        assertEquals("<b@example.test>: Recipient address rejected", f.text());
        assertEquals("ABC123", r.queueId());
        assertEquals("2.0.0", r.serverReply().enhancedCode());
        assertTrue(r.error().contains("1 of 3 recipients refused"), r.error());
        assertData("Subject: s\r\n\r\nhi\r\n.\r\n", data[0]);
    }

    @Test
    void transientRecipientFailuresArePartiallySentAndMarkedTransient() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<b@example.test>");
            c.send("450 mailbox busy");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test", "b@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.PARTIALLY_SENT, r.status());
        assertTrue(r.rejectedRecipients().get(0).isTransient());
        assertNull(r.queueId());
    }

    @Test
    void allRecipientsRefusedInAFlightIsRejectedThenRset() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            c.expect("RCPT TO:<b@example.test>");
            c.expect("DATA");
            c.send("250 ok", "550 no such user", "553 not allowed", "554 5.5.1 Error: no valid recipients");
            c.expect("RSET");
            c.send("250 ok");
            // the connection is still good for the next letter
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<c@example.test>");
            c.expect("DATA");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(),
                letter("x", "a@example.test", "b@example.test"), letter("y", "c@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.SENT);
        SendResult r = results.get(0);
        assertEquals(List.of(550, 553), r.rejectedRecipients().stream().map(RecipientFailure::code).toList());
        assertTrue(r.acceptedRecipients().isEmpty());
        assertTrue(r.error().contains("accepted no recipient"), r.error());
        assertEquals(1, peer.connectionCount());
    }

    @Test
    void allRecipientsRefusedSomeTransientIsFailedRetryable() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("550 no");
            c.expect("RCPT TO:<b@example.test>");
            c.send("451 4.3.0 greylisted");
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test", "b@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.isRetryable());
        assertEquals(2, r.rejectedRecipients().size());
    }

    @Test
    void transientMailRefusalIsFailedRetryableAndTheConnectionIsReused() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("451 4.7.1 try again later");
            c.expect("RSET");
            c.send("250 ok");
            plainTransaction(c, "Q2", "b@example.test");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("x", "a@example.test"),
                letter("y", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.FAILED, SendStatus.SENT);
        SendResult r = results.get(0);
        assertTrue(r.isRetryable());
        assertEquals(451, r.serverReply().code());
        assertTrue(r.error().contains("refused sender <sender@example.test>: 451"), r.error());
        assertTrue(r.rejectedRecipients().isEmpty());
    }

    @Test
    void permanentMailRefusalIsRejected() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<a@example.test>");
            c.expect("DATA");
            c.send("553 5.7.1 sender not allowed", "503 5.5.1 need MAIL", "503 5.5.1 need RCPT");
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.REJECTED, r.status());
        assertEquals(553, r.serverReply().code());
        assertTrue(r.rejectedRecipients().isEmpty(), "RCPT replies after a refused MAIL say nothing");
    }

    @Test
    void refusalAtTheEndOfDataIsRejected() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("554 5.7.1 message looks like spam");
            plainTransaction(c, "Q2", "a@example.test");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("x", "a@example.test"),
                letter("y", "a@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.SENT);
        assertEquals(554, results.get(0).serverReply().code());
        assertTrue(results.get(0).error().contains("refused the message: 554"), results.get(0).error());
        assertTrue(results.get(0).acceptedRecipients().isEmpty());
    }

    @Test
    void dataRefusedIsFailedAndRset() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("451 4.3.0 local error");
            c.expect("RSET");
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.isRetryable());
        assertTrue(r.error().contains("refused DATA: 451"), r.error());
    }

    // ------------------------------------------------------------------------------------ broken connections

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
    void silenceAfterTheFinalDotIsUnknownWithinTheReadTimeout() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            plainTransactionWithoutFinalReply(c);
            c.awaitClientClose();
        });
        client();
        long t0 = System.nanoTime();
        SendResult r = client.send(params().readTimeout(Duration.ofMillis(1000)).build(),
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

    // ------------------------------------------------------------------------------------ letter-level checks

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
        assertTrue(SmtpTransaction.smallContent(letter("short", "a@example.test")));
        assertFalse(SmtpTransaction.smallContent(letter("x".repeat(200_000), "a@example.test")));
        assertTrue(SmtpTransaction.smallContent(Letter.from("a@example.test").to("b@example.test")
                .attach(io.github.smtpletter.letter.Attachment.of("a.bin", new byte[10_000])).build()));
        assertFalse(SmtpTransaction.smallContent(Letter.from("a@example.test").to("b@example.test")
                .attach(io.github.smtpletter.letter.Attachment.of("a.bin", new byte[1_000_000])).build()));
        // unknown size (a stream): measured by a streaming pass, never buffered
        assertFalse(SmtpTransaction.smallContent(Letter.from("a@example.test").to("b@example.test")
                .attach(io.github.smtpletter.letter.Attachment.of("a.bin", "application/octet-stream",
                        () -> new java.io.ByteArrayInputStream(new byte[10]))).build()));
    }

    @Test
    void theEndOfAChainedLetterIsFlushedBeforeTheNextLettersSizePass() throws Exception {
        java.util.concurrent.CountDownLatch endSeen = new java.util.concurrent.CountDownLatch(1);
        peer(c -> {
            c.greetAndEhlo("SIZE 100000", "PIPELINING");
            c.expect("MAIL FROM:<sender@example.test> SIZE=*");
            c.expect("RCPT TO:<a@example.test>");
            c.expect("DATA");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            endSeen.countDown();
            c.expect("MAIL FROM:<sender@example.test> SIZE=*");
            c.expect("RCPT TO:<b@example.test>");
            c.expect("DATA");
            c.send("250 ok: queued as A", "250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as B");
            c.expectQuit();
        });
        java.util.concurrent.atomic.AtomicBoolean flushedFirst = new java.util.concurrent.atomic.AtomicBoolean();
        TestWriter plain = new TestWriter();
        MessageWriter waiting = new MessageWriter() {
            @Override
            public void write(Letter letter, java.io.OutputStream out) throws IOException {
                plain.write(letter, out);
            }

            @Override
            public long size(Letter letter) {
                try {
                    flushedFirst.set(endSeen.await(5, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return plain.size(letter);
            }
        };
        client(waiting, 64 * 1024, Duration.ofSeconds(2));
        Letter streamed = Letter.from("sender@example.test").to("b@example.test").subject("s").text("t")
                .attach(io.github.smtpletter.letter.Attachment.of("a.bin", "application/octet-stream",
                        () -> new java.io.ByteArrayInputStream(new byte[10]))).build();
        List<SendResult> results = client.send(params().build(), letter("x", "a@example.test"), streamed);
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.SENT);
        assertTrue(flushedFirst.get(), "the first letter's end reached the server before the size pass");
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
            for (int i = 0; i < SmtpTransaction.MAX_FLIGHT - 1; i++) {
                c.expect("RCPT TO:<" + rcpts.get(i) + ">");
            }
            String[] replies = new String[SmtpTransaction.MAX_FLIGHT];
            java.util.Arrays.fill(replies, "250 ok");
            replies[7] = "550 no"; // r6
            c.send(replies);
            for (int i = SmtpTransaction.MAX_FLIGHT - 1; i < n; i++) {
                c.expect("RCPT TO:<" + rcpts.get(i) + ">");
            }
            c.expect("DATA");
            String[] rest = new String[n - (SmtpTransaction.MAX_FLIGHT - 1) + 1];
            java.util.Arrays.fill(rest, "250 ok");
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

    // ------------------------------------------------------------------------------------ a stream of letters

    /** MAIL, RCPT, DATA of one letter, read but not answered yet. */
    private static void envelope(ScriptedSmtpPeer.Conn c, String rcpt) throws IOException {
        c.expect("MAIL FROM:<sender@example.test>");
        c.expect("RCPT TO:<" + rcpt + ">");
        c.expect("DATA");
    }

    @Test
    void theEndOfOneLetterAndTheNextLettersCommandsGoInOneFlight() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            // the peer answers letter 1's end only after letter 2's commands arrived: one flight, else deadlock
            envelope(c, "b@example.test");
            c.send("250 ok: queued as A", "250 ok", "250 ok", "354 go");
            c.readData();
            envelope(c, "c@example.test");
            c.send("250 ok: queued as B", "250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as C"); // the last letter of the call waits for its own reply
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("1\r\n", "a@example.test"),
                letter("2\r\n", "b@example.test"), letter("3\r\n", "c@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.SENT, SendStatus.SENT);
        assertEquals(List.of("A", "B", "C"), results.stream().map(SendResult::queueId).toList());
        assertEquals(1, peer.connectionCount());
    }

    @Test
    void aRefusedEndIsTheEarlierLettersResultAndTheNextLetterGoesOn() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            envelope(c, "b@example.test");
            c.send("554 5.7.1 spam", "250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as B");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("1\r\n", "a@example.test"),
                letter("2\r\n", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.SENT);
        assertEquals(554, results.get(0).serverReply().code());
        assertEquals("B", results.get(1).queueId());
    }

    @Test
    void aDropAfterTheSharedFlightLeavesTheEarlierLetterUnknownAndResendsTheNextOne() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            envelope(c, "b@example.test");
            c.drop(); // letter 1 may or may not have been taken; letter 2 surely not
        }, c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "b@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as B");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("1\r\n", "a@example.test"),
                letter("2\r\n", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.UNKNOWN, SendStatus.SENT);
        assertFalse(results.get(0).isRetryable());
        assertEquals("B", results.get(1).queueId());
        assertEquals(2, peer.connectionCount());
    }

    @Test
    void a421AsTheEarlierLettersReplyFailsItAndTheNextLetterGoesOnANewConnection() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            envelope(c, "b@example.test");
            c.send("421 4.3.2 shutting down");
            c.drop();
        }, c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "b@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as B");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("1\r\n", "a@example.test"),
                letter("2\r\n", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.FAILED, SendStatus.SENT);
        assertTrue(results.get(0).isRetryable());
        assertEquals(421, results.get(0).serverReply().code());
        assertEquals("B", results.get(1).queueId());
    }

    @Test
    void aLetterRefusedBeforeItsCommandsStillGetsTheEarlierLettersReplyRead() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING"); // no SMTPUTF8: the second letter cannot go
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as A");
            envelope(c, "c@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as C");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("1\r\n", "a@example.test"),
                letter("2\r\n", "ü@example.test"), letter("3\r\n", "c@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.REJECTED, SendStatus.SENT);
        assertEquals("A", results.get(0).queueId());
        assertEquals("C", results.get(2).queueId());
    }

    // ------------------------------------------------------------------------------------ BDAT

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
            // reused, but it answered a moment ago and is quiet: the whole message in one flight again
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<b@example.test>");
            byte[] second = c.expectBdat(true);
            assertEquals("Subject: s\r\n\r\ntwo", new String(second, StandardCharsets.US_ASCII));
            c.send("250 ok", "250 ok", "250 ok: queued as F2");
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
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:<b@example.test>");
            byte[] second = c.expectBdat(false);
            assertEquals("Subject: s\r\n\r\ntwo", new String(second, StandardCharsets.US_ASCII));
            c.send("250 ok", "250 ok", "250 ok");
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
