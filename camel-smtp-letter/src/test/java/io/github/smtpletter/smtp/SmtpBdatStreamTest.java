package io.github.smtpletter.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole letters in one flight with CHUNKING and PIPELINING: a letter's {@code BDAT n LAST} goes with the next
 * letter's RSET, MAIL, RCPT and BDAT, its replies read with theirs; one letter's failure never decides a
 * neighbour's, and a connection lost after a LAST went leaves that letter UNKNOWN.
 */
class SmtpBdatStreamTest extends ScriptedTestSupport {

    /** RSET (after the first letter), MAIL, RCPT and BDAT LAST of one letter, read but not answered. */
    private static void letter(ScriptedSmtpPeer.Conn c, String rcpt, String text, boolean first) throws IOException {
        if (!first) {
            c.expect("RSET");
        }
        c.expect("MAIL FROM:<sender@example.test>");
        c.expect("RCPT TO:<" + rcpt + ">");
        assertEquals("Subject: s\r\n\r\n" + text, new String(c.expectBdat(true), StandardCharsets.US_ASCII));
    }

    @Test
    void wholeLettersShareAFlightAndTheirRepliesComeWithTheNextLetters() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            // the peer reads the second letter's commands before answering anything of the first: one flight
            letter(c, "a@example.test", "one", true);
            letter(c, "b@example.test", "two", false);
            c.send("250 ok", "250 ok", "250 ok: queued as A");
            letter(c, "c@example.test", "three", false);
            c.send("250 ok", "250 ok", "250 ok", "250 ok: queued as B");
            c.send("250 ok", "250 ok", "250 ok", "250 ok: queued as C");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("one", "a@example.test"),
                letter("two", "b@example.test"), letter("three", "c@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.SENT, SendStatus.SENT);
        assertEquals(List.of("A", "B", "C"), results.stream().map(SendResult::queueId).toList());
        assertEquals(1, peer.connectionCount());
    }

    @Test
    void aRefusedEnvelopeAheadIsThatLettersResultOnlyAndRsetKeepsTheNextOneApart() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            letter(c, "a@example.test", "one", true);
            letter(c, "b@example.test", "two", false);
            c.send("250 ok", "550 5.1.1 unknown user", "554 5.5.1 no valid recipients");
            c.send("250 ok", "250 ok", "250 ok", "250 ok: queued as B");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("one", "a@example.test"),
                letter("two", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.SENT);
        assertEquals(550, results.get(0).rejectedRecipients().get(0).code());
        assertEquals("B", results.get(1).queueId());
    }

    @Test
    void aRefusedEndAheadIsThatLettersResultOnly() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            letter(c, "a@example.test", "one", true);
            letter(c, "b@example.test", "two", false);
            c.send("250 ok", "250 ok", "554 5.7.1 spam");
            c.send("250 ok", "250 ok", "250 ok", "250 ok: queued as B");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("one", "a@example.test"),
                letter("two", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.SENT);
    }

    @Test
    void aDropAfterLastWentLeavesThoseLettersUnknownAndTheNextGoesOnANewConnection() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            letter(c, "a@example.test", "one", true);
            letter(c, "b@example.test", "two", false);
            c.send("250 ok", "250 ok");
            c.drop(); // before the reply to the first LAST: both LASTs went
        }, c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            letter(c, "c@example.test", "three", true);
            c.send("250 ok", "250 ok", "250 ok: queued as C");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("one", "a@example.test"),
                letter("two", "b@example.test"), letter("three", "c@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.UNKNOWN, SendStatus.UNKNOWN, SendStatus.SENT);
        assertTrue(results.get(0).error().contains("lost after the end of the message"), results.get(0)::toString);
        assertEquals("C", results.get(2).queueId());
    }

    @Test
    void a421AheadFailsTheLettersBehindItRetryably() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            letter(c, "a@example.test", "one", true);
            letter(c, "b@example.test", "two", false);
            c.send("250 ok", "250 ok", "421 4.3.2 shutting down");
            c.drop();
        }, c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            letter(c, "b@example.test", "two", true);
            c.send("250 ok", "250 ok", "250 ok: queued as B");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("one", "a@example.test"),
                letter("two", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, results.get(0).status(), results.get(0)::toString);
        assertTrue(results.get(0).isRetryable());
        assertEquals(SendStatus.SENT, results.get(1).status(), results.get(1)::toString);
        assertEquals("B", results.get(1).queueId());
    }

    @Test
    void lettersOfCallsWaitingForTheConnectionShareFlightsToo() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        SmtpConnectionParameters[] p = new SmtpConnectionParameters[1];
        peer(c -> {
            c.greetAndEhlo("CHUNKING", "PIPELINING");
            letter(c, "a@example.test", "a", true);
            firstSent.countDown();
            await("three calls waiting").atMost(Duration.ofSeconds(10))
                    .until(() -> client.waitingCalls(p[0]) == 3);
            c.send("250 ok", "250 ok", "250 ok: queued as A");
            // b's LAST and c's commands in one flight: the peer answers b only once c's LAST came (else deadlock)
            letter(c, "b@example.test", "b", true);
            letter(c, "c@example.test", "c", false);
            c.send("250 ok", "250 ok", "250 ok: queued as B");
            letter(c, "d@example.test", "d", false);
            c.send("250 ok", "250 ok", "250 ok", "250 ok: queued as C");
            c.send("250 ok", "250 ok", "250 ok", "250 ok: queued as D");
            c.expectQuit();
        });
        client();
        p[0] = params().maxConnections(1).build();
        List<CompletableFuture<List<SendResult>>> calls = new ArrayList<>();
        calls.add(client.sendAsync(p[0], List.of(letter("a", "a@example.test"))));
        assertTrue(firstSent.await(10, TimeUnit.SECONDS));
        for (String r : List.of("b", "c", "d")) {
            calls.add(client.sendAsync(p[0], List.of(letter(r, r + "@example.test"))));
        }
        List<String> queueIds = new ArrayList<>();
        for (CompletableFuture<List<SendResult>> call : calls) {
            List<SendResult> r = call.get(10, TimeUnit.SECONDS);
            assertStatuses(r, SendStatus.SENT);
            queueIds.add(r.get(0).queueId());
        }
        client.close();
        peer.assertNoErrors();
        assertEquals(List.of("A", "B", "C", "D"), queueIds);
        assertEquals(1, peer.connectionCount());
    }
}
