package io.github.smtpletter.smtp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reply to the end of the message: waited for up to the data timeout (not the read timeout), and anything but a
 * proper 2xx, 4xx or 5xx reply after the whole message went over makes the letter UNKNOWN, never resent.
 */
class SmtpEndOfDataTest extends ScriptedTestSupport {

    @Test
    void aSlowContentFilterIsWaitedForUpToTheDataTimeout() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            assertFalse(c.trickle(Duration.ofMillis(1500), ""), "the client waits past its read timeout");
            c.send("250 2.0.0 Ok: queued as SLOW");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().readTimeout(Duration.ofMillis(500)).dataTimeout(Duration.ofSeconds(30))
                .build(), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("SLOW", r.queueId());
    }

    @Test
    void aSlowReplyToBdatLastIsWaitedForUpToTheDataTimeout() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expectBdat(true);
            assertFalse(c.trickle(Duration.ofMillis(1500), ""), "the client waits past its read timeout");
            c.send("250 2.0.0 Ok: queued as SLOW");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().readTimeout(Duration.ofMillis(500)).dataTimeout(Duration.ofSeconds(30))
                .build(), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }

    @Test
    void a354ToTheFinalDotIsUnknownAndTheLetterIsNotResent() throws Exception {
        assertUnknownAfterData("354 more please", "354 more please");
    }

    @Test
    void a334ToTheFinalDotIsUnknown() throws Exception {
        assertUnknownAfterData("334 what", "334 what");
    }

    @Test
    void aMalformedReplyToTheFinalDotIsUnknown() throws Exception {
        assertUnknownAfterData("2x0 queued", "malformed SMTP reply line");
    }

    @Test
    void aReplyCodeOutOfRangeToTheFinalDotIsUnknown() throws Exception {
        assertUnknownAfterData("650 queued", "out of range");
    }

    @Test
    void a354ToBdatLastIsUnknown() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expectBdat(true);
            c.send("354 more please");
            c.awaitClientClose();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertUnknown(r, "354 more please");
        assertEquals(0, client.openConnections(), "a connection out of step is not kept");
    }

    /** Two letters: the first gets {@code reply} to its final dot; the second must go on a new connection. */
    private void assertUnknownAfterData(String reply, String expectedInError) throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send(reply);
            c.awaitClientClose();
        }, c -> {
            c.greetAndEhlo();
            plainTransaction(c, "Q2", "b@example.test");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("x", "a@example.test"),
                letter("y", "b@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.UNKNOWN, SendStatus.SENT);
        assertUnknown(results.get(0), expectedInError);
        assertEquals(2, peer.connectionCount());
        String first = new String(peer.connections().get(0).received(), StandardCharsets.UTF_8);
        assertEquals(1, first.split("MAIL FROM", -1).length - 1, "the letter went once: " + first);
    }

    private static void assertUnknown(SendResult r, String expectedInError) {
        assertEquals(SendStatus.UNKNOWN, r.status(), r::toString);
        assertFalse(r.isRetryable(), "a redelivery would send the letter twice");
        assertFalse(r.isSent());
        assertEquals(List.of("a@example.test"), addresses(r.acceptedRecipients()));
        assertTrue(r.error().contains(expectedInError), r.error());
        assertTrue(r.error().contains("may have accepted"), r.error());
    }
}
