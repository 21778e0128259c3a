package io.github.smtpletter.camel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import io.github.smtpletter.letter.Letter;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge cases of conversion and endpoint resolution: edited MimeMessages, Message-IDs with comments, empty
 * collections, odd URIs, bad settings.
 */
class LetterSmtpEdgeCasesTest extends CamelTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // port 9 (discard) is never contacted: the body fails before anything is sent
                from("direct:send").to("letter-smtp:127.0.0.1:9?connectTimeout=1s");
            }
        };
    }

    private static String raw(Letter letter) throws Exception {
        try (InputStream in = letter.raw().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anEditedMimeMessageIsSentAsEditedWithANewMessageId() throws Exception {
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()));
        mime.setFrom("a@example.org");
        mime.setRecipients(Message.RecipientType.TO, "b@example.org");
        mime.setSubject("first");
        mime.setText("plain ascii");
        Letter first = LetterConverters.toLetter(mime, null);
        mime.setText("Grüße aus Köln", "UTF-8");
        Letter second = LetterConverters.toLetter(mime, null);
        assertNotEquals(first.messageId(), second.messageId(), "a generated Message-ID is not reused");
        String text = raw(second);
        assertTrue(text.contains("charset=UTF-8"), text);
        assertTrue(text.contains("Content-Transfer-Encoding"), text);
        assertTrue(text.contains("Message-ID: <" + second.messageId() + ">"), text);
    }

    @Test
    void aHandSetMessageIdWithACommentIsKept() throws Exception {
        String source = "From: a@example.org\r\nTo: b@example.org\r\nSubject: =?UTF-8?Q?a=0Ab?=\r\n"
                        + "Message-ID: <kept@example.org> (a comment)\r\n\r\nbody\r\n";
        Letter letter = LetterConverters.toLetter(source.getBytes(StandardCharsets.US_ASCII), null);
        assertEquals("kept@example.org", letter.messageId());
    }

    @Test
    void anEmptyCollectionFailsTheExchange() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:send", List.of()));
        assertTrue(e.getCause().getMessage().contains("no letters"), e.getCause().getMessage());
    }

    @Test
    void junkAfterABracketedAddressOrASignedPortIsRefused() {
        assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint("letter-smtp:[::1]junk"));
        assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint("letter-smtp:host:+25"));
    }

    @Test
    void badSettingsFailWhenTheEndpointStarts() {
        // the endpoint starts when it is resolved in a running context: the bad option fails right there
        Exception e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("letter-smtp:127.0.0.1?maxConnections=0"));
        assertTrue(e.getMessage().contains("maxConnections"), e.getMessage());
    }
}
