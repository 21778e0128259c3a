package io.github.smtpletter.smtp;

import java.util.List;

import io.github.smtpletter.letter.Letter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server's replies to MAIL, RCPT, DATA and the end of the message make of a letter, recipient by
 * recipient.
 */
class SmtpTransactionRefusalsTest extends ScriptedTestSupport {

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
}
