package io.github.smtpletter.camel;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.LogCapture;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.URISupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passwords and tokens never show: not in any log line (everything io.github.smtpletter and org.apache.camel log, at
 * TRACE, captured during sends with PLAIN, LOGIN, XOAUTH2 and AUTO against GreenMail, successful and with wrong
 * credentials), not in exception messages or stack traces, not in results or their table, not in the connection
 * parameters, not in the endpoints and routes as Camel prints them. Searched as plain text and as base64 at every
 * alignment (so the base64 of any string containing a secret is found too: PLAIN's and XOAUTH2's initial responses,
 * LOGIN's password line).
 */
@Timeout(60)
class LetterSmtpSecretsTest extends CamelTestSupport {

    private static final String PASSWORD = "Pw-7d3f9a1c-Secret";
    private static final String TOKEN = "ya29.Tok-5e1b7c-Secret";
    private static final String WRONG_PASSWORD = "Wrong-4c2e81-Secret";
    private static final String WRONG_TOKEN = "ya29.Expired-90ab-Secret";
    private static final List<String> SECRETS = List.of(PASSWORD, TOKEN, WRONG_PASSWORD, WRONG_TOKEN);

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", PASSWORD)
                    .withUser("bob@t.test", "bob", TOKEN)); // GreenMail checks an XOAUTH2 token like a password

    private String uri(String mechanism, String user, String extra) {
        return "letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "?ehloName=client.test&readTimeout=5s"
               + "&allowPlaintextAuth=true&authMechanism=" + mechanism + "&username=" + user + extra;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("token", (Supplier<String>) () -> TOKEN);
        registry.bind("expiredToken", (Supplier<String>) () -> WRONG_TOKEN);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:plain").to(uri("PLAIN", "alice", "&password=RAW(" + PASSWORD + ")"));
                from("direct:login").to(uri("LOGIN", "alice", "&password=" + PASSWORD));
                from("direct:auto").to(uri("AUTO", "alice", "&password=RAW(" + PASSWORD + ")&maxConnections=1"));
                from("direct:xoauth2").to(uri("XOAUTH2", "bob", "&oauthTokenSupplier=#token"));
                from("direct:wrongPlain").to(uri("PLAIN", "alice", "&password=RAW(" + WRONG_PASSWORD + ")"));
                from("direct:wrongLogin").to(uri("LOGIN", "alice", "&password=" + WRONG_PASSWORD));
                from("direct:wrongToken").to(uri("XOAUTH2", "bob", "&oauthTokenSupplier=#expiredToken"));
            }
        };
    }

    /** The secret's base64 at the three alignments: found in the base64 of any text that contains it. */
    private static List<String> base64Forms(String secret) {
        List<String> forms = new ArrayList<>();
        byte[] s = secret.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < 3; k++) {
            byte[] padded = new byte[k + s.length];
            System.arraycopy(s, 0, padded, k, s.length);
            String b64 = Base64.getEncoder().withoutPadding().encodeToString(padded);
            int from = 4 * ((k + 2) / 3);
            int to = 4 * ((k + s.length) / 3);
            forms.add(b64.substring(from, to));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(padded).substring(from, to));
        }
        return forms;
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), () -> where + " shows a secret:\n" + text);
            assertFalse(text.toLowerCase().contains(secret.toLowerCase()), () -> where + " shows a secret:\n" + text);
            for (String form : base64Forms(secret)) {
                assertFalse(text.contains(form), () -> where + " shows a secret in base64 (" + form + "):\n" + text);
            }
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static Letter letter(String to) {
        return Letter.from("robot@t.test").to(to).subject("secret test").text("hello").build();
    }

    @Test
    void theSearchFindsSecretsInAnyBase64() {
        String plain = Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String xoauth = Base64.getEncoder().encodeToString(("user=bob\u0001auth=Bearer " + TOKEN + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8));
        String login = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        for (String[] c : new String[][] { { plain, PASSWORD }, { xoauth, TOKEN }, { login, PASSWORD } }) {
            assertTrue(base64Forms(c[1]).stream().anyMatch(c[0]::contains), c[0]);
        }
    }

    @Test
    void noSecretInLogsExceptionsResultsOrEndpoints() throws Exception {
        List<String> texts = new ArrayList<>();
        List<Exchange> exchanges = new ArrayList<>();
        try (LogCapture logs = LogCapture.loggers(Level.TRACE, "io.github.smtpletter", "org.apache.camel")) {
            for (String route : List.of("plain", "login", "auto", "xoauth2")) {
                Exchange out = template.send("direct:" + route, e -> e.getIn().setBody(
                        List.of(letter("bob@t.test"), letter("carol@t.test"))));
                assertNull(out.getException(), () -> route + ": " + out.getException());
                exchanges.add(out);
            }
            for (String route : List.of("wrongPlain", "wrongLogin", "wrongToken")) {
                Exchange out = template.send("direct:" + route, e -> e.getIn().setBody(
                        List.of(letter("bob@t.test"), letter("carol@t.test"))));
                LetterSendException ex = assertInstanceOf(LetterSendException.class, out.getException(), route);
                SendResult r = ex.getResults().get(0);
                assertEquals(SendStatus.FAILED, r.status(), r::toString);
                assertTrue(r.error().contains("535"), r::error);
                texts.add(ex.getMessage());
                texts.add(stackTrace(ex));
                exchanges.add(out);
            }
            // an exception thrown out of the template (Camel wraps it) and logged by the error handler
            try {
                template.sendBody("direct:wrongPlain", letter("bob@t.test"));
            } catch (Exception e) {
                texts.add(e.getMessage());
                texts.add(stackTrace(e));
            }
            // the endpoints and routes as Camel prints them (before the context stops and forgets them);
            // getEndpointUri() itself is Camel's key of the endpoint and holds the URI as configured, as with every
            // Camel component: Camel prints it only through URISupport.sanitizeUri, as toString() does
            int smtpEndpoints = 0;
            for (Endpoint e : context.getEndpoints()) {
                texts.add(e.toString());
                texts.add(URISupport.sanitizeUri(e.getEndpointUri()));
                texts.add(e.getEndpointBaseUri());
                if (e instanceof LetterSmtpEndpoint le) {
                    smtpEndpoints++;
                    texts.add(le.connectionParameters().toString());
                    texts.add(le.getConfiguration().toString());
                }
            }
            assertEquals(7, smtpEndpoints);
            for (Route r : context.getRoutes()) {
                texts.add(r.toString());
                texts.add(r.getEndpoint().toString());
                texts.add(String.valueOf(r.getProperties()));
            }
            context.stop(); // QUIT on every pooled connection, logged too
            assertTrue(logs.lines().size() > 50, "captured " + logs.lines().size() + " log events");
            assertTrue(logs.text().contains("AUTH PLAIN ****"), "the capture sees the SMTP dialogue");
            assertTrue(logs.text().contains("AUTH XOAUTH2 ****"), "the capture sees the SMTP dialogue");
            assertTrue(logs.text().contains("C: ****"), "the capture sees the LOGIN password line masked");
            assertTrue(logs.text().contains("535"), "the capture sees the failures");
            assertNoSecret("the log", logs.text());
        }
        assertEquals(8, GREEN_MAIL.getReceivedMessages().length, "4 routes x 2 letters");

        for (Exchange out : exchanges) {
            List<?> results = out.getMessage().getBody(List.class);
            texts.add(results.toString());
            texts.add(out.getMessage().getBody(String.class));
            for (Object r : results) {
                texts.add(r.toString());
                texts.add(String.valueOf(((SendResult) r).error()));
            }
            texts.add(out.toString());
            texts.add(String.valueOf(out.getMessage().getHeaders()));
        }
        assertTrue(texts.size() > 40);
        for (String t : texts) {
            assertNoSecret("a text", String.valueOf(t));
        }
    }
}
