package io.github.smtpletter.camel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.SmtpResponder;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input end to end: each case sends the batch [good, bad, good] through a route to an SMTP peer that offers SIZE
 * 100000 but not SMTPUTF8. The bad element gets a REJECTED result whose error names the field (one safe line), not a
 * byte of it reaches the server (exactly two transactions, no trace of the bad element in everything the server
 * received), and both good letters are delivered. (The builder-level table is letter.LetterBadInputTest.)
 */
@Timeout(60)
class LetterSmtpBadInputTest extends CamelTestSupport {

    /** Put into every bad element that can carry text: it must never reach the server. */
    private static final String MARK = "BADMARK";

    private final SmtpResponder responder = new SmtpResponder("SIZE 100000", "8BITMIME", "PIPELINING");
    private ScriptedSmtpPeer peer;

    @BeforeEach
    void route() throws Exception {
        peer = ScriptedSmtpPeer.serving(responder);
        String uri = "letter-smtp:127.0.0.1:" + peer.port() + "?ehloName=client.test&readTimeout=5s";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:batch").to(uri);
            }
        });
    }

    @AfterEach
    void closePeer() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    /** One case: the element, and what its error must say ({@code 'field'} or a key word). */
    record Bad(String name, String says, Supplier<Object> element) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Bad bad(String name, String says, Supplier<Object> element) {
        return new Bad(name, says, element);
    }

    private static String field(String name) {
        return "Invalid letter field '" + name + "'";
    }

    /** A valid letter as a Map, changed by key/value pairs (a null value removes the key). */
    private static Map<String, Object> map(Object... changes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", "sender@t.test");
        m.put("to", "rcpt@t.test");
        m.put("subject", "subject " + MARK);
        m.put("text", "text " + MARK);
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                m.remove((String) changes[i]);
            } else {
                m.put((String) changes[i], changes[i + 1]);
            }
        }
        return m;
    }

    private static Map<String, Object> attachment(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static Letter.Builder letter() {
        return Letter.from("sender@t.test").to("rcpt@t.test").subject("subject " + MARK).text("text " + MARK);
    }

    private static byte[] raw(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Changes a valid message built in code. */
    interface MessageChange {
        void apply(MimeMessage message) throws MessagingException;
    }

    private static MimeMessage mimeMessage(MessageChange change) {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom("sender@t.test");
            m.setRecipients(Message.RecipientType.TO, "rcpt@t.test");
            m.setSubject("subject " + MARK);
            m.setText("text " + MARK);
            change.apply(m);
            return m;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Bad> cases() {
        return Stream.of(
                // --- CR/LF (and NUL) injection through every text field
                bad("CRLF in subject", field("subject"), () -> map("subject", MARK + "\r\nBcc: evil@t.test")),
                bad("LF in subject", field("subject"), () -> map("subject", MARK + "\nX-Evil: 1")),
                bad("CR in subject", field("subject"), () -> map("subject", MARK + "\rX-Evil: 1")),
                bad("NUL in subject", field("subject"), () -> map("subject", MARK + "\0")),
                bad("CRLF in sender display name", field("from"),
                        () -> map("from", "\"Eve\r\nBcc: evil@t.test\" <sender@t.test>")),
                bad("CRLF in sender address (SMTP command injection)", field("from"),
                        () -> map("from", "sender@t.test\r\nRCPT TO:<evil@t.test>")),
                bad("LF in recipient display name", field("to"), () -> map("to",
                        "\"Ann\nBcc: evil@t.test\" <a@t.test>")),
                bad("CRLF in recipient address (SMTP command injection)", field("to"),
                        () -> map("to", "rcpt@t.test\r\nRCPT TO:<evil@t.test>")),
                bad("CRLF in one recipient of a list", field("to"),
                        () -> map("to", List.of("ok@t.test", "x@t.test\r\nDATA"))),
                bad("CRLF in cc", field("cc"), () -> map("cc", "c@t.test\r\nBcc: evil@t.test")),
                bad("LF in bcc", field("bcc"), () -> map("bcc", "evil@t.te\nst")),
                bad("CRLF in reply-to", field("replyTo"), () -> map("replyTo", "r@t.test\r\nX-Evil: 1")),
                bad("CRLF in read-receipt address", field("readReceiptTo"),
                        () -> map("readReceiptTo", "r@t.test\r\nBcc: evil@t.test")),
                bad("CRLF in an extra header's value", field("headers"),
                        () -> map("headers", Map.of("X-Tag", "a\r\nBcc: evil@t.test"))),
                bad("LF in an extra header's value", field("headers"), () -> map("headers", Map.of("X-Tag", "a\nb"))),
                bad("CRLF in an extra header's name", field("headers"),
                        () -> map("headers", Map.of("X-Tag\r\nBcc", "evil@t.test"))),
                bad("colon in an extra header's name", field("headers"), () -> map("headers", Map.of("X-Tag:", "x"))),
                bad("reserved extra header Bcc", field("headers"), () -> map("headers", Map.of("Bcc", "evil@t.test"))),
                bad("reserved extra header Content-Type", field("headers"),
                        () -> map("headers", Map.of("Content-Type", "text/html"))),
                bad("headers that are not a map", field("headers"), () -> map("headers", "X-Tag: 1")),
                bad("CRLF in an attachment name", field("attachments"),
                        () -> map("attachments", List.of(attachment("name", "a.pdf\r\nContent-Type: text/html",
                                "content", MARK)))),
                bad("LF in an attachment name", field("attachments"),
                        () -> map("attachments", List.of(attachment("name", "a\n.pdf", "content", MARK)))),
                bad("CRLF in an attachment content type", field("attachments"),
                        () -> map("attachments", List.of(attachment("name", "a.txt", "contentType",
                                "text/plain\r\nX-Evil: 1", "content", MARK)))),
                bad("CRLF in an attachment content id", field("attachments"),
                        () -> map("attachments", List.of(attachment("name", "a.png", "content", MARK, "contentId",
                                "id\r\nX-Evil: 1")))),
                bad("CRLF in the message id", field("messageId"), () -> map("messageId", "a@t.test\r\nX-Evil: 1")),
                bad("unknown importance", field("importance"), () -> map("importance", "URGENT")),
                // --- invalid addresses
                bad("recipient without @", field("to"), () -> map("to", "rcpt.t.test")),
                bad("recipient with empty domain", field("to"), () -> map("to", "rcpt@")),
                bad("recipient with empty local part", field("to"), () -> map("to", "@t.test")),
                bad("recipient with two @", field("to"), () -> map("to", "a@b@t.test")),
                bad("recipient with two dots", field("to"), () -> map("to", "a..b@t.test")),
                bad("recipient with a bad domain", field("to"), () -> map("to", "a@exa_mple.test")),
                bad("recipient local part over 64", field("to"), () -> map("to", "x".repeat(65) + "@t.test")),
                bad("recipient address over 254", field("to"), () -> map("to", "x".repeat(60) + "@" + "d".repeat(60)
                                                                               + "." + "d".repeat(60) + "." + "d"
                                                                                       .repeat(60) + "." + "d".repeat(
                                                                                               60) + ".test")),
                bad("unbalanced angle brackets", field("to"), () -> map("to", "Name <a@t.test")),
                bad("sender not an address", field("from"), () -> map("from", "sender(at)t.test")),
                bad("cc with empty domain", field("cc"), () -> map("cc", "c@")),
                bad("bcc with two @", field("bcc"), () -> map("bcc", "b@@t.test")),
                bad("reply-to with empty domain", field("replyTo"), () -> map("replyTo", "r@")),
                bad("raw message with an invalid From", field("from"),
                        () -> raw("From: not-an-address\nTo: rcpt@t.test\nSubject: " + MARK + "\n\nbody\n")),
                bad("raw message with an invalid To", field("to"),
                        () -> raw("From: sender@t.test\nTo: rcpt@\nSubject: " + MARK + "\n\nbody\n")),
                // --- no sender, no recipient
                bad("map without a sender", field("from"), () -> map("from", null)),
                bad("String without a sender (no headers, no defaults)", field("from"), () -> "text " + MARK),
                bad("map without a recipient", field("to"), () -> map("to", null)),
                bad("map with an empty recipient list", field("to"), () -> map("to", List.of())),
                bad("map with a blank recipient", field("to"), () -> map("to", "  ")),
                bad("MimeMessage without recipients", field("to"), () -> {
                    try {
                        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
                        m.setFrom("sender@t.test");
                        m.setSubject(MARK);
                        m.setText("text");
                        return m;
                    } catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                }),
                bad("MimeMessage whose header value starts a Bcc line", "header \"X-A\"",
                        () -> mimeMessage(m -> m.setHeader("X-A", MARK + "\r\nBcc: evil@t.test"))),
                bad("MimeMessage whose header value has a bare LF", "header \"X-A\"",
                        () -> mimeMessage(m -> m.setHeader("X-A", MARK + "\nBcc: evil@t.test"))),
                bad("MimeMessage whose header name has CRLF", field("headers"),
                        () -> mimeMessage(m -> m.setHeader("X-A\r\nBcc", "evil@t.test"))),
                bad("MimeMessage whose body part header starts a line", "header \"X-Part\"", () -> mimeMessage(m -> {
                    MimeBodyPart part = new MimeBodyPart();
                    part.setText("text " + MARK);
                    part.setHeader("X-Part", MARK + "\r\nContent-Type: text/html");
                    m.setContent(new MimeMultipart(part));
                })),
                bad("MimeMessage recipient with '>' in a quoted local part", field("to"),
                        () -> mimeMessage(m -> m.setRecipient(Message.RecipientType.TO,
                                new InternetAddress("\"a> NOTIFY=SUCCESS ORCPT=rfc822;evil@evil.test\"@t.test")))),
                bad("map recipient with '>' in a quoted local part", field("to"),
                        () -> map("to", "\"a> NOTIFY=SUCCESS ORCPT=rfc822;evil@evil.test\"@t.test")),
                // --- empty and null bodies
                bad("null element", field("body"), () -> null),
                bad("empty map", field("from"), LinkedHashMap::new),
                bad("empty String", field("from"), () -> ""),
                bad("empty byte[]", field("from"), () -> new byte[0]),
                bad("empty InputStream", field("from"), () -> new ByteArrayInputStream(new byte[0])),
                // --- a body of an unsupported type
                bad("Integer element", "java.lang.Integer", () -> 42),
                bad("LocalDate element", "java.time.LocalDate", () -> LocalDate.of(2024, 1, 1)),
                bad("nested list element", field("body"), () -> new ArrayList<>(List.of(map()))),
                // --- attachments that cannot be had
                bad("attachment path from data (not allowed)", "file paths are not accepted",
                        () -> map("attachments", List.of(attachment("path", "/nonexistent-" + MARK + "/report.pdf")))),
                bad("attachment without content", field("attachments"),
                        () -> map("attachments", List.of(attachment("name", "a.txt")))),
                bad("attachment with invalid base64", field("attachments"),
                        () -> map("attachments", List.of(attachment("name", "a.bin", "base64", "not*base64!")))),
                bad("attachments that are not a list", field("attachments"), () -> map("attachments", "a.pdf")),
                // --- non-ASCII addresses to a server without SMTPUTF8
                bad("non-ASCII recipient, no SMTPUTF8", "SMTPUTF8", () -> letter().to("jörg@t.test").build()),
                bad("non-ASCII sender, no SMTPUTF8", "SMTPUTF8",
                        () -> Letter.from("jörg@t.test").to("rcpt@t.test").subject(MARK).build()),
                bad("non-ASCII bcc from a map, no SMTPUTF8", "SMTPUTF8", () -> map("bcc", "Jörg <jörg@t.test>")),
                bad("non-ASCII reply-to only, no SMTPUTF8", "Reply-To address jörg@t.test",
                        () -> letter().replyTo("jörg@t.test").build()),
                bad("non-ASCII read-receipt address only, no SMTPUTF8", "read-receipt address jörg@t.test",
                        () -> map("readReceiptTo", "Jörg <jörg@t.test>")),
                bad("MimeMessage with a non-ASCII Reply-To only, no SMTPUTF8", "Reply-To address jörg@t.test", () -> {
                    try {
                        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
                        m.setFrom("sender@t.test");
                        m.setRecipients(Message.RecipientType.TO, "rcpt@t.test");
                        m.setHeader("Reply-To", "jörg@t.test");
                        m.setSubject(MARK);
                        m.setText("text " + MARK, "UTF-8");
                        return m;
                    } catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                }),
                // --- over the server's SIZE
                bad("text over SIZE", "(SIZE)", () -> letter().text(MARK + "x".repeat(150_000)).build()),
                bad("attachment over SIZE", "(SIZE)",
                        () -> letter().attach(Attachment.of("big.bin", new byte[120_000])).build()));
    }

    @Test
    void atLeastFortyCases() {
        assertTrue(cases().count() >= 40, "cases: " + cases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theBadElementIsRefusedAndTheOthersGo(Bad bad) throws Exception {
        Letter first = Letter.from("sender@t.test").to("good1@t.test").subject("good 1").text("good 1").build();
        Letter third = Letter.from("sender@t.test").to("good3@t.test").subject("good 3").text("good 3").build();
        List<Object> batch = new ArrayList<>();
        batch.add(first);
        batch.add(bad.element.get());
        batch.add(third);

        Exchange out = template.send("direct:batch", e -> e.getIn().setBody(batch));

        List<?> body = out.getMessage().getBody(List.class);
        assertEquals(3, body.size());
        SendResult refused = (SendResult) body.get(1);
        assertEquals(SendStatus.REJECTED, refused.status(), refused::toString);
        assertFalse(refused.isRetryable());
        assertTrue(refused.error().contains(bad.says), () -> "error should say " + bad.says + ": " + refused.error());
        assertFalse(refused.error().contains("\r") || refused.error().contains("\n"),
                () -> "the error is one line: " + refused.error());
        assertEquals(SendStatus.SENT, ((SendResult) body.get(0)).status(), () -> body.get(0).toString());
        assertEquals(SendStatus.SENT, ((SendResult) body.get(2)).status(), () -> body.get(2).toString());
        LetterSendException ex = assertInstanceOf(LetterSendException.class, out.getException());
        assertEquals(List.of(refused), ex.getNotSent());
        assertEquals(2, out.getMessage().getHeader(LetterSmtpConstants.SENT_COUNT));

        // nothing of the bad element reached the server; the good letters did
        context.stop(); // QUIT: the peer's transcript is complete
        peer.assertNoErrors();
        assertEquals(List.of(first.messageId(), third.messageId()), responder.messageIds());
        String transcript = peer.transcript();
        assertEquals(2, transcript.split("MAIL FROM:", -1).length - 1, transcript);
        assertFalse(transcript.contains(MARK), transcript);
        assertFalse(transcript.contains("evil"), transcript);
    }

    @Test
    void aNullBodyFailsTheExchangeAndNothingIsSent() throws Exception {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:batch", null));
        assertTrue(e.getCause().getMessage().contains(field("body")), e.getCause().getMessage());
        assertEquals(0, peer.connectionCount());
    }

    @Test
    void aSingleBodyOfAnUnsupportedTypeFailsTheExchangeNamingTheType() throws Exception {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:batch", new StringBuilder("x")));
        assertTrue(e.getCause().getMessage().contains("java.lang.StringBuilder"), e.getCause().getMessage());
        assertEquals(0, peer.connectionCount());
    }

    @Test
    void aMimeMessageWhoseHeaderWouldStartABccLineIsNotSent() throws Exception {
        MimeMessage m = mimeMessage(x -> x.setHeader("X-A", "v\r\nBcc: victim@t.test"));
        Exchange out = template.send("direct:batch", x -> x.getIn().setBody(m));
        String error = out.getException().getMessage();
        assertTrue(error.contains(field("headers")) && error.contains("header \"X-A\""), error);
        assertTrue(error.contains("v\\r\\nBcc: victim@t.test"), "the value is quoted with CR/LF escaped: " + error);
        assertEquals(0, peer.connectionCount());
        assertNull(m.getHeader("Message-ID"), "no generated Message-ID is left on the caller's message");
    }

    @Test
    void aSingleBadLetterFailsTheExchangeNamingTheField() throws Exception {
        Exchange out = template.send("direct:batch", x -> x.getIn().setBody(map("to", "rcpt@")));
        assertTrue(out.getException().getMessage().contains(field("to")), out.getException().getMessage());
        assertNull(out.getMessage().getHeader(LetterSmtpConstants.SENT_COUNT));
        assertEquals(0, peer.connectionCount());
    }
}
