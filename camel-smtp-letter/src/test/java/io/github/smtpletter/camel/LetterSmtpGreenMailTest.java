package io.github.smtpletter.camel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end through Camel routes into GreenMail, which requires the test's user and password. */
class LetterSmtpGreenMailTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "wonderland"));

    private String uri(String mechanism, String password) {
        return "letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "?authMechanism=" + mechanism
               + "&username=alice&password=RAW(" + password + ")&allowPlaintextAuth=true&readTimeout=5s";
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:plain").to(uri("PLAIN", "wonderland"));
                from("direct:login").to(uri("LOGIN", "wonderland"));
                from("direct:wrongPassword").to(uri("PLAIN", "not-the-password") + "&failOnNotSent=false");
                from("direct:noOptIn").to("letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort()
                                          + "?authMechanism=PLAIN&username=alice&password=wonderland"
                                          + "&failOnNotSent=false");
                from("direct:defaults").to(uri("PLAIN", "wonderland")
                                           + "&from=Robot <robot@example.org>&to=ops@example.org"
                                           + "&subject=Default subject");
                from("direct:tolerant").to(uri("PLAIN", "wonderland") + "&failOnNotSent=false");
            }
        };
    }

    @Test
    void letterBodyArrivesWithHeadersPartsAndEnvelope() throws Exception {
        Letter letter = Letter.from("Sender Name <sender@example.org>")
                .to("Ann <ann@example.org>")
                .cc("cc@example.org")
                .bcc("hidden@example.org")
                .replyTo("replies@example.org")
                .subject("Grüße – über alles")
                .text("plain text")
                .html("<p>html</p>")
                .attach(Attachment.of("data.bin", new byte[] { 0, 1, 2, 3, (byte) 0xff }))
                .header("X-Tracking", "42")
                .build();

        Exchange out = template.send("direct:plain", e -> e.getIn().setBody(letter));
        assertNull(out.getException());
        List<?> body = out.getMessage().getBody(List.class);
        assertEquals(1, body.size());
        SendResult result = (SendResult) body.get(0);
        assertEquals(SendStatus.SENT, result.status(), result::toString);
        assertEquals(letter.messageId(), result.messageId());
        assertEquals(3, result.acceptedRecipients().size());
        assertNotNull(result.serverReply());
        assertEquals(1, out.getMessage().getHeader(LetterSmtpConstants.SENT_COUNT));
        assertEquals(0, out.getMessage().getHeader(LetterSmtpConstants.NOT_SENT_COUNT));

        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 3));
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertEquals(3, received.length, "one copy per recipient, bcc included");
        MimeMessage m = received[0];
        assertEquals("<" + letter.messageId() + ">", m.getMessageID());
        assertEquals("Grüße – über alles", m.getSubject());
        assertTrue(m.getHeader("Subject")[0].startsWith("=?UTF-8?"), "subject is RFC 2047 encoded");
        assertEquals("Sender Name", ((InternetAddress) m.getFrom()[0]).getPersonal());
        assertEquals("ann@example.org", ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress());
        assertEquals("cc@example.org", ((InternetAddress) m.getRecipients(Message.RecipientType.CC)[0]).getAddress());
        assertNull(m.getHeader("Bcc"), "bcc is never written");
        assertEquals("replies@example.org", ((InternetAddress) m.getReplyTo()[0]).getAddress());
        assertEquals("42", m.getHeader("X-Tracking")[0]);
        assertTrue(m.getContentType().startsWith("multipart/mixed"), m.getContentType());
        Multipart mixed = (Multipart) m.getContent();
        assertEquals(2, mixed.getCount());
        assertTrue(mixed.getBodyPart(0).isMimeType("multipart/alternative"));
        Part attachment = mixed.getBodyPart(1);
        assertEquals("data.bin", attachment.getFileName());
        assertEquals(Part.ATTACHMENT, attachment.getDisposition());
        byte[] data = attachment.getInputStream().readAllBytes();
        assertTrue(Arrays.equals(new byte[] { 0, 1, 2, 3, (byte) 0xff }, data));

        // GreenMail keeps one mailbox per recipient: the bcc recipient's mailbox got it, without a Bcc header
        assertEquals(1, GREEN_MAIL.getUserManager().getUserByEmail("hidden@example.org") == null ? 0 : 1);
    }

    @Test
    void loginMechanismWorks() throws Exception {
        Exchange out = template.send("direct:login", e -> e.getIn().setBody(
                Letter.from("a@example.org").to("b@example.org").subject("login").text("x").build()));
        assertNull(out.getException());
        assertEquals(SendStatus.SENT, ((SendResult) out.getMessage().getBody(List.class).get(0)).status());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
    }

    @Test
    void cyrillicSubjectAndTextArriveUnchangedThroughTheRoute() throws Exception {
        // Письмо("sender@1c.ru"); ДобавитьПолучателей("recipient@1c.ru"); Тема = ...; УстановитьТекстКакСтроку(...)
        Letter message = Letter.from("sender@1c.ru")
                .to("recipient@1c.ru")
                .subject("Тема сообщения электронной почты")
                .text("Текст сообщения электронной почты")
                .build();
        Exchange out = template.send("direct:plain", e -> e.getIn().setBody(message));
        assertNull(out.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
        MimeMessage m = GREEN_MAIL.getReceivedMessages()[0];
        assertEquals("Тема сообщения электронной почты", m.getSubject());
        assertEquals("Текст сообщения электронной почты", m.getContent().toString().trim());
    }

    @Test
    void stringBodyTakesAddressingFromHeaders() throws Exception {
        Exchange out = template.send("direct:plain", e -> {
            e.getIn().setBody("Hello from a String body");
            e.getIn().setHeader(LetterSmtpConstants.FROM, "Robot <robot@example.org>");
            e.getIn().setHeader(LetterSmtpConstants.TO, "x@example.org, Y <y@example.org>");
            e.getIn().setHeader(LetterSmtpConstants.SUBJECT, "From headers");
        });
        assertNull(out.getException());
        assertEquals(2, ((SendResult) out.getMessage().getBody(List.class).get(0)).acceptedRecipients().size());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 2));
        MimeMessage m = GREEN_MAIL.getReceivedMessages()[0];
        assertEquals("From headers", m.getSubject());
        assertEquals("Hello from a String body", m.getContent().toString().trim());
    }

    @Test
    void stringBodyTakesAddressingFromEndpointDefaults() throws Exception {
        Exchange out = template.send("direct:defaults", e -> e.getIn().setBody("Defaults only"));
        assertNull(out.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
        MimeMessage m = GREEN_MAIL.getReceivedMessages()[0];
        assertEquals("Default subject", m.getSubject());
        assertEquals("robot@example.org", ((InternetAddress) m.getFrom()[0]).getAddress());
        assertEquals("ops@example.org", m.getAllRecipients()[0].toString());
    }

    @Test
    void mapBodyBecomesALetter() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("from", "map@example.org");
        map.put("to", List.of("one@example.org", "two@example.org"));
        map.put("subject", "From a map");
        map.put("html", "<h1>Hi</h1>");
        map.put("attachments", List.of(Map.of("name", "a.txt", "content", "attached text")));
        Exchange out = template.send("direct:plain", e -> e.getIn().setBody(map));
        assertNull(out.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 2));
        MimeMessage m = GREEN_MAIL.getReceivedMessages()[0];
        assertEquals("From a map", m.getSubject());
        assertTrue(m.isMimeType("multipart/mixed"));
    }

    @Test
    void mimeMessageBodyIsSentAsWrittenWithoutBcc() throws Exception {
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()));
        mime.setFrom("mime@example.org");
        mime.setRecipients(Message.RecipientType.TO, "to@example.org");
        mime.setRecipients(Message.RecipientType.BCC, "secret@example.org");
        mime.setSubject("Jakarta made me");
        mime.setText("body of a MimeMessage");
        mime.setHeader("Message-ID", "<fixed-id@example.org>");
        Exchange out = template.send("direct:plain", e -> e.getIn().setBody(mime));
        assertNull(out.getException());
        SendResult r = (SendResult) out.getMessage().getBody(List.class).get(0);
        assertEquals("fixed-id@example.org", r.messageId());
        assertEquals(2, r.acceptedRecipients().size());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 2));
        for (MimeMessage m : GREEN_MAIL.getReceivedMessages()) {
            assertEquals("Jakarta made me", m.getSubject());
            assertNull(m.getHeader("Bcc"));
        }
    }

    @Test
    void rawRfc5322BytesAreSentVerbatim() throws Exception {
        String raw = "From: raw@example.org\r\nTo: dest@example.org\r\nSubject: raw bytes\r\n"
                     + "Message-ID: <raw-1@example.org>\r\n\r\n.leading dot line\r\nbody\r\n";
        Exchange out = template.send("direct:plain", e -> e.getIn().setBody(raw.getBytes()));
        assertNull(out.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
        MimeMessage m = GREEN_MAIL.getReceivedMessages()[0];
        assertEquals("raw bytes", m.getSubject());
        assertTrue(m.getContent().toString().startsWith(".leading dot line"), "dot-stuffing is undone by the server");
    }

    @Test
    void invalidLetterInABatchIsRejectedAndTheOthersStillGo() throws Exception {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("from", "a@example.org");
        bad.put("to", "not an address");
        List<Object> batch = List.of(
                Letter.from("a@example.org").to("first@example.org").subject("1").text("1").build(),
                bad,
                Letter.from("a@example.org").to("third@example.org").subject("3").text("3").build());
        Exchange out = template.send("direct:plain", e -> e.getIn().setBody(batch));
        LetterSendException ex = assertInstanceOf(LetterSendException.class, out.getException());
        List<?> body = out.getMessage().getBody(List.class);
        assertEquals(3, body.size());
        assertEquals(SendStatus.SENT, ((SendResult) body.get(0)).status());
        SendResult rejected = (SendResult) body.get(1);
        assertEquals(SendStatus.REJECTED, rejected.status());
        assertTrue(rejected.error().contains("'to'"), rejected.error());
        assertEquals(SendStatus.SENT, ((SendResult) body.get(2)).status());
        assertEquals(1, ex.getNotSent().size());
        assertEquals(2, out.getMessage().getHeader(LetterSmtpConstants.SENT_COUNT));
        assertEquals(1, out.getMessage().getHeader(LetterSmtpConstants.NOT_SENT_COUNT));
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 2));
        assertEquals(2, GREEN_MAIL.getReceivedMessages().length);
        assertTrue(out.getMessage().getBody(String.class).contains("REJECTED"), "results convert to a table");
    }

    @Test
    void wrongPasswordFailsEveryLetterWith535() {
        Exchange out = template.send("direct:wrongPassword", e -> e.getIn().setBody(List.of(
                Letter.from("a@example.org").to("b@example.org").text("1").build(),
                Letter.from("a@example.org").to("c@example.org").text("2").build())));
        assertNull(out.getException());
        List<?> body = out.getMessage().getBody(List.class);
        for (Object o : body) {
            SendResult r = (SendResult) o;
            assertEquals(SendStatus.FAILED, r.status());
            assertTrue(r.error().contains("535"), r.error());
            assertTrue(!r.error().contains("not-the-password"), "the password never shows");
        }
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void plainWithoutTlsNeedsTheExplicitOption() {
        Exchange out = template.send("direct:noOptIn", e -> e.getIn().setBody(
                Letter.from("a@example.org").to("b@example.org").text("1").build()));
        SendResult r = (SendResult) out.getMessage().getBody(List.class).get(0);
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.error().contains("allowPlaintextAuth"), r.error());
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void unsupportedBodyTypeFailsNamingTheType() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:plain", 42));
        assertTrue(e.getCause().getMessage().contains("java.lang.Integer"), e.getCause().getMessage());
    }

    @Test
    void nullBodyFailsClearly() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:plain", null));
        assertTrue(e.getCause().getMessage().contains("body"), e.getCause().getMessage());
    }

    @Test
    void endpointUriAsCamelPrintsItHidesThePassword() {
        String printed = context.getEndpoints().stream().map(Endpoint::toString)
                .reduce("", String::concat);
        assertTrue(!printed.contains("wonderland") && !printed.contains("not-the-password"), printed);
    }

}
