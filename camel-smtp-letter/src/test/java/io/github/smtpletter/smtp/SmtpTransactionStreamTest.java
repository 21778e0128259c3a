package io.github.smtpletter.smtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Letters in a row on one pipelined connection: the end of one letter and the next letter's commands share a
 * flight.
 */
class SmtpTransactionStreamTest extends ScriptedTestSupport {

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

    @Test
    void theEndOfAChainedLetterIsFlushedBeforeTheNextLettersSizePass() throws Exception {
        CountDownLatch endSeen = new CountDownLatch(1);
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
        AtomicBoolean flushedFirst = new AtomicBoolean();
        TestWriter plain = new TestWriter();
        MessageWriter waiting = new MessageWriter() {
            @Override
            public void write(Letter letter, OutputStream out) throws IOException {
                plain.write(letter, out);
            }

            @Override
            public long size(Letter letter) {
                try {
                    flushedFirst.set(endSeen.await(5, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return plain.size(letter);
            }
        };
        client(waiting, 64 * 1024, Duration.ofSeconds(2));
        Letter streamed = Letter.from("sender@example.test").to("b@example.test").subject("s").text("t")
                .attach(Attachment.of("a.bin", "application/octet-stream",
                        () -> new ByteArrayInputStream(new byte[10]))).build();
        List<SendResult> results = client.send(params().build(), letter("x", "a@example.test"), streamed);
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.SENT);
        assertTrue(flushedFirst.get(), "the first letter's end reached the server before the size pass");
    }
}
