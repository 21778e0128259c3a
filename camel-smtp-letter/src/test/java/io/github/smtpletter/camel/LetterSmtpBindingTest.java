package io.github.smtpletter.camel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.json.LetterJacksonModule;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The type converters are pure (body and its message's headers) and the endpoint's binding adds the endpoint's
 * defaults for what they lack: converting early in a route and letting the producer convert make the same letter.
 */
class LetterSmtpBindingTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    static Path folder;

    private final ObjectMapper json = new ObjectMapper().registerModule(new LetterJacksonModule());

    private static String smtpUri() {
        return "letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort()
               + "?from=Default <default@example.org>&to=default-to@example.org&cc=default-cc@example.org"
               + "&subject=Default subject&attachmentDirectory=" + folder;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:early").convertBodyTo(Letter.class).to(smtpUri());
                from("direct:producer").to(smtpUri());
            }
        };
    }

    private LetterSmtpBinding binding() {
        return context.getEndpoint(smtpUri(), LetterSmtpEndpoint.class).binding();
    }

    private Exchange exchange(Object body, Map<String, Object> headers) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setBody(body);
        exchange.getIn().setHeaders(new LinkedHashMap<>(headers));
        return exchange;
    }

    /** What a letter says, without the Message-ID and Date each build makes anew. */
    private Map<?, ?> content(Letter letter) throws Exception {
        Map<?, ?> map = json.readValue(json.writeValueAsString(letter), Map.class);
        map.remove("messageId");
        map.remove("createdAt");
        return map;
    }

    private static Map<String, Object> addressing() {
        return Map.of(LetterSmtpConstants.FROM, "Robot <robot@example.org>",
                LetterSmtpConstants.TO, List.of("x@example.org", "Y <y@example.org>"),
                LetterSmtpConstants.CC, "c@example.org",
                LetterSmtpConstants.SUBJECT, "From headers",
                LetterSmtpConstants.CONTENT_TYPE, "text/html",
                LetterSmtpConstants.IMPORTANCE, "high");
    }

    @Test
    void aStringConvertedEarlyIsTheLetterTheProducerMakes() throws Exception {
        Exchange exchange = exchange("<p>Hello</p>", addressing());
        Letter early = context.getTypeConverter().mandatoryConvertTo(Letter.class, exchange, "<p>Hello</p>");
        Letter byProducer = binding().toLetter("<p>Hello</p>", exchange);
        assertEquals(content(early), content(byProducer));
        assertEquals("<p>Hello</p>", byProducer.html());
        assertEquals(Importance.HIGH, byProducer.importance());
        // headers come before the endpoint's options
        assertEquals("robot@example.org", byProducer.from().address());
        assertEquals("c@example.org", byProducer.cc().get(0).address());
    }

    @Test
    void aMapConvertedEarlyIsTheLetterTheProducerMakes() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "from a map");
        map.put("cc", "map-cc@example.org");
        map.put("headers", Map.of("X-Order", 42));
        map.put("attachments", List.of(Map.of("name", "a.txt", "content", "attached")));
        Exchange exchange = exchange(map, addressing());
        Letter early = context.getTypeConverter().mandatoryConvertTo(Letter.class, exchange, map);
        Letter byProducer = binding().toLetter(map, exchange);
        assertEquals(content(early), content(byProducer));
        assertEquals("From headers", byProducer.subject());
        assertEquals(Map.of("X-Order", "42"), byProducer.headers());
    }

    @Test
    void anEarlyConversionWithoutAddressingFailsNamingTheField() {
        Exchange exchange = exchange("text only", Map.of());
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> context.getTypeConverter().mandatoryConvertTo(Letter.class, exchange, "text only"));
        assertEquals("from", assertInstanceOf(InvalidLetterException.class, e.getCause()).field());
        // the producer fills in the endpoint's from, to and subject
        Letter letter = binding().toLetter("text only", exchange);
        assertEquals("default@example.org", letter.from().address());
        assertEquals("default-to@example.org", letter.to().get(0).address());
        assertEquals("Default subject", letter.subject());
        assertEquals("default-cc@example.org", letter.cc().get(0).address());
    }

    @Test
    void sentEarlyConvertedOrNotTheServerGetsTheSameLetter() throws Exception {
        template.send("direct:early", e -> {
            e.getIn().setBody("<p>Same</p>");
            e.getIn().setHeaders(new LinkedHashMap<>(addressing()));
        });
        template.send("direct:producer", e -> {
            e.getIn().setBody("<p>Same</p>");
            e.getIn().setHeaders(new LinkedHashMap<>(addressing()));
        });
        // each letter goes to x@, y@ and c@ (GreenMail keeps a copy per recipient)
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 6));
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        MimeMessage early = received[0];
        MimeMessage late = received[received.length - 1];
        assertEquals(early.getSubject(), late.getSubject());
        assertEquals(early.getFrom()[0], late.getFrom()[0]);
        assertEquals(early.getContent().toString(), late.getContent().toString());
        assertEquals(early.getHeader("Importance")[0], late.getHeader("Importance")[0]);
        assertEquals(List.of(early.getRecipients(Message.RecipientType.TO)),
                List.of(late.getRecipients(Message.RecipientType.TO)));
        assertEquals(List.of(early.getRecipients(Message.RecipientType.CC)),
                List.of(late.getRecipients(Message.RecipientType.CC)));
        assertEquals(new InternetAddress("c@example.org"), late.getRecipients(Message.RecipientType.CC)[0]);
    }

    @Test
    void pathAttachmentsComeOnlyFromTheEndpointsAttachmentDirectory() throws Exception {
        Path file = Files.writeString(folder.resolve("report.csv"), "q,total\n");
        Map<String, Object> map = Map.of("from", "a@example.org", "to", "b@example.org",
                "attachments", List.of(Map.of("path", file.toString())));
        Exchange exchange = exchange(map, Map.of());
        Letter letter = binding().toLetter(map, exchange);
        try (InputStream in = letter.attachments().get(0).source().open()) {
            assertEquals("q,total\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // a type converter knows no endpoint, so no folder: file paths are refused
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> context.getTypeConverter().mandatoryConvertTo(Letter.class, exchange, map));
        assertTrue(e.getCause().getMessage().contains("file paths are not accepted"), e.getCause().getMessage());
        // and an endpoint without the option refuses them too
        LetterSmtpEndpoint plain = context.getEndpoint("letter-smtp:127.0.0.1:9", LetterSmtpEndpoint.class);
        InvalidLetterException refused = assertThrows(InvalidLetterException.class,
                () -> plain.binding().toLetter(map, exchange));
        assertEquals("attachments", refused.field());
    }

    @Test
    void aCamelMailMessageIsSentAsItsMimeMessage() throws Exception {
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()));
        mime.setFrom("mail@example.org");
        mime.setSubject("from camel-mail");
        mime.setText("text");
        Exchange exchange = exchange(null, Map.of());
        MailMessage message = new MailMessage(exchange, mime, false);
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> context.getTypeConverter().mandatoryConvertTo(Letter.class, exchange, message));
        assertEquals("to", assertInstanceOf(InvalidLetterException.class, e.getCause()).field());
        // the producer takes the missing recipients from the endpoint
        Letter letter = binding().toLetter(message, exchange);
        assertEquals("mail@example.org", letter.from().address());
        assertEquals("default-to@example.org", letter.to().get(0).address());
    }
}
