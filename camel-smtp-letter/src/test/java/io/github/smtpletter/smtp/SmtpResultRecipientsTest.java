package io.github.smtpletter.smtp;

import java.util.List;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Results name what the server was told: accepted and refused recipients are the envelope addresses exactly as sent
 * in {@code RCPT TO}, without the display names the letter gave them.
 */
class SmtpResultRecipientsTest extends ScriptedTestSupport {

    @Test
    void acceptedAndRefusedRecipientsAreTheAddressesSentInRcptTo() throws Exception {
        peer(c -> {
            c.greetAndEhlo("8BITMIME", "SMTPUTF8");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<ann@example.org>");
            c.send("250 ok");
            c.expect("RCPT TO:<bob@example.org>");
            c.send("550 5.1.1 No such user");
            c.expect("RCPT TO:<uli@xn--bcher-kva.example>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        client();
        Letter letter = Letter.from("Shop <sender@example.test>").to("Ann <ann@example.org>")
                .cc("\"Bob, B.\" <bob@example.org>").bcc("Uli <uli@b\u00fccher.example>").subject("s").text("x")
                .build();
        SendResult r = client.send(params().build(), letter).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.PARTIALLY_SENT, r.status(), r::toString);
        assertEquals(List.of("ann@example.org", "uli@xn--bcher-kva.example"),
                r.acceptedRecipients().stream().map(MailAddress::toString).toList());
        r.acceptedRecipients().forEach(a -> assertNull(a.displayName(), a::toString));
        RecipientFailure bob = r.rejectedRecipients().get(0);
        assertEquals("bob@example.org", bob.recipient().toString());
        assertNull(bob.recipient().displayName());
        assertEquals("bob@example.org: 550 5.1.1 No such user", bob.toString());
        assertEquals("1 of 3 recipients refused: bob@example.org: 550 5.1.1 No such user", r.error());
    }

    @Test
    void withSmtpUtf8TheDomainGoesAsGiven() throws Exception {
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
        Letter letter = Letter.from("sender@example.test").to("J\u00f6rg <j\u00f6rg@b\u00fccher.example>")
                .subject("s").text("x").build();
        SendResult r = client.send(params().build(), letter).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("j\u00f6rg@b\u00fccher.example", r.acceptedRecipients().get(0).toString());
    }

    @Test
    void resultsMadeByHandDropDisplayNamesToo() {
        SendResult r = SendResult.sent("1@example.org", List.of(MailAddress.parse("Ann <ann@example.org>")),
                List.of(new RecipientFailure(MailAddress.parse("Bob <bob@example.org>"), 550, null, "no")),
                SmtpReply.of(250, "ok"));
        assertEquals("ann@example.org", r.acceptedRecipients().get(0).toString());
        assertEquals("bob@example.org", r.rejectedRecipients().get(0).recipient().toString());
    }
}
