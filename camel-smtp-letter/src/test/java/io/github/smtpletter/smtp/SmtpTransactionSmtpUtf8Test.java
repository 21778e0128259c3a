package io.github.smtpletter.smtp;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.github.smtpletter.letter.Letter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMTPUTF8 is decided on every address a letter carries, not only on the envelope: a non-ASCII local part only in
 * Reply-To or in the read-receipt address (or only in an address header of a raw message) needs it as much as one in
 * the envelope. A server without SMTPUTF8 gets nothing; one with it gets {@code SMTPUTF8} and {@code BODY=8BITMIME}.
 * The real MIME writer is used, so the header bytes are those a user's letter would have.
 */
class SmtpTransactionSmtpUtf8Test extends ScriptedTestSupport {

    private static final String JOERG = "j\u00f6rg@example.test";

    static List<Arguments> letters() {
        return List.of(
                Arguments.of("Reply-To", "Reply-To address " + JOERG, (Supplier<Letter>) () -> base()
                        .replyTo("J\u00f6rg <" + JOERG + ">").build()),
                Arguments.of("read-receipt address", "read-receipt address " + JOERG,
                        (Supplier<Letter>) () -> base().readReceiptTo(JOERG).build()),
                Arguments.of("raw message with Reply-To", "Reply-To address " + JOERG,
                        (Supplier<Letter>) () -> raw("Reply-To: J\u00f6rg <" + JOERG + ">")),
                Arguments.of("raw message with Disposition-Notification-To",
                        "Disposition-Notification-To address " + JOERG,
                        (Supplier<Letter>) () -> raw("Disposition-Notification-To:\r\n " + JOERG)));
    }

    private static Letter.Builder base() {
        return Letter.from("sender@example.test").to("a@example.test").subject("s").text("x");
    }

    private static Letter raw(String addressHeader) {
        byte[] message = ("From: sender@example.test\r\nTo: a@example.test\r\n" + addressHeader
                          + "\r\nSubject: s\r\n\r\nx\r\n").getBytes(StandardCharsets.UTF_8);
        return Letter.builder().sender("sender@example.test").to("a@example.test")
                .raw(() -> new ByteArrayInputStream(message)).build();
    }

    private SmtpClient mimeClient() {
        return client(MessageWriter.mime(), 64 * 1024, Duration.ofSeconds(2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("letters")
    void refusedWithNeedsSmtpUtf8WhenTheServerLacksIt(String name, String where, Supplier<Letter> letter)
            throws Exception {
        byte[][] data = new byte[2][];
        peer(c -> {
            c.greetAndEhlo("8BITMIME");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            data[0] = c.readData();
            c.send("250 ok");
            c.expectQuit();
            data[1] = c.received();
        });
        mimeClient();
        Letter ascii = Letter.from("sender@example.test").to("a@example.test").subject("ok").text("y").build();
        List<SendResult> results = client.send(params().build(), letter.get(), ascii);
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.REJECTED, SendStatus.SENT);
        assertEquals("letter needs SMTPUTF8 (" + where + " has a non-ASCII local part) but the server 127.0.0.1:"
                     + peer.port() + " does not offer SMTPUTF8; nothing was sent", results.get(0).error());
        assertFalse(results.get(0).isRetryable());
        String transcript = new String(data[1], StandardCharsets.UTF_8);
        assertFalse(transcript.contains("j\u00f6rg"), transcript);
        assertTrue(new String(data[0], StandardCharsets.UTF_8).contains("Subject: ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("letters")
    void sentWithSmtpUtf8AndEightBitWhenTheServerHasIt(String name, String where, Supplier<Letter> letter)
            throws Exception {
        byte[][] data = new byte[1][];
        peer(c -> {
            c.greetAndEhlo("8BITMIME", "SMTPUTF8");
            c.expect("MAIL FROM:<sender@example.test> BODY=8BITMIME SMTPUTF8");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            data[0] = c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        mimeClient();
        SendResult r = client.send(params().build(), letter.get()).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        String message = new String(data[0], StandardCharsets.UTF_8);
        assertTrue(message.contains(JOERG), message); // the address as UTF-8 header bytes (RFC 6532)
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("letters")
    void smtpUtf8WithoutBodyParameterWhenEightBitMimeIsNotOffered(String name, String where,
                                                                  Supplier<Letter> letter) throws Exception {
        peer(c -> {
            c.greetAndEhlo("SMTPUTF8");
            c.expect("MAIL FROM:<sender@example.test> SMTPUTF8");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        mimeClient();
        SendResult r = client.send(params().build(), letter.get()).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }

    /** A display name with non-ASCII bytes in a raw message's headers is no address: no SMTPUTF8 needed. */
    @Test
    void aRawDisplayNameAloneNeedsNoSmtpUtf8() throws Exception {
        peer(c -> {
            c.greetAndEhlo("8BITMIME");
            c.expect("MAIL FROM:<sender@example.test> BODY=8BITMIME");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.send("250 ok");
            c.expectQuit();
        });
        mimeClient();
        SendResult r = client.send(params().build(), raw("Reply-To: J\u00f6rg <joerg@example.test>")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }
}
