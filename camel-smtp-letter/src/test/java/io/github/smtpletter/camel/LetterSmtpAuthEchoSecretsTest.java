package io.github.smtpletter.camel;

import java.io.EOFException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SmtpAuthException;
import io.github.smtpletter.smtp.SmtpException;
import io.github.smtpletter.testsupport.LogCapture;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that answers the AUTH exchange with a malformed reply line quoting the password and its base64 (the reply
 * reader quotes such a line in its exception): the password shows nowhere, not in the exception chain of a send or of
 * {@code verify()} (messages, causes, suppressed, stack trace), not in the results, not in the health check result,
 * not in any log event.
 */
class LetterSmtpAuthEchoSecretsTest extends CamelTestSupport {

    private static final String PASSWORD = "Echoed-3f8a2b-Secret";
    private static final String PASSWORD_B64 = Base64.getEncoder()
            .encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
    private static final String ECHO = "5x5 bad password " + PASSWORD + " " + PASSWORD_B64;

    private static ScriptedSmtpPeer peer;

    @BeforeAll
    static void startPeer() throws Exception {
        peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), LetterSmtpAuthEchoSecretsTest::echoingServer, List.of());
    }

    @AfterAll
    static void stopPeer() throws Exception {
        peer.close();
    }

    /** Greets, offers three mechanisms, and answers the AUTH exchange with the malformed echo where it must end. */
    private static void echoingServer(ScriptedSmtpPeer.Conn c) throws Exception {
        c.greetAndEhlo("AUTH PLAIN LOGIN CRAM-MD5");
        try {
            String auth = c.readLine();
            if (auth.startsWith("AUTH LOGIN")) {
                c.send("334 VXNlcm5hbWU6");
                c.readLine();
                c.send("334 UGFzc3dvcmQ6");
                c.readLine();
            } else if (auth.startsWith("AUTH CRAM-MD5")) {
                c.send("334 " + Base64.getEncoder().encodeToString("<1.2@peer.test>".getBytes(StandardCharsets.UTF_8)));
                c.readLine();
            }
            c.send(ECHO);
            c.readLine(); // the client hangs up: it cannot tell where the reply ends
        } catch (EOFException | SocketException e) {
            // expected
        }
    }

    private static String uri(String mechanism) {
        return "letter-smtp:127.0.0.1:" + peer.port() + "?ehloName=client.test&readTimeout=5s&allowPlaintextAuth=true"
               + "&authMechanism=" + mechanism + "&username=alice&password=RAW(" + PASSWORD + ")";
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String m : List.of("PLAIN", "LOGIN", "CRAM-MD5")) {
                    from("direct:" + m).routeId(m).to(uri(m));
                }
            }
        };
    }

    private static String chain(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        StringBuilder all = new StringBuilder(w.toString());
        List<Throwable> todo = new ArrayList<>(List.of(t));
        for (int i = 0; i < todo.size() && i < 100; i++) {
            Throwable x = todo.get(i);
            all.append('\n').append(x).append('\n').append(x.getMessage()).append('\n').append(x.getLocalizedMessage());
            if (x instanceof SmtpException se && se.reply() != null) {
                all.append('\n').append(se.reply());
            }
            if (x.getCause() != null) {
                todo.add(x.getCause());
            }
            todo.addAll(List.of(x.getSuppressed()));
        }
        return all.toString();
    }

    private static void assertNoPassword(String where, String text) {
        assertFalse(text.contains(PASSWORD), () -> where + " shows the password:\n" + text);
        assertFalse(text.contains(PASSWORD_B64), () -> where + " shows the password in base64:\n" + text);
    }

    private HealthCheck check(LetterSmtpEndpoint endpoint) {
        HealthCheckRepository repo = Optional.ofNullable(
                HealthCheckHelper.getHealthCheckRepository(context, "producers")).orElseThrow();
        repo.setEnabled(true);
        String id = endpoint.healthCheckId();
        return repo.stream().filter(c -> c.getId().equals(id)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = { "PLAIN", "LOGIN", "CRAM-MD5" })
    void anEchoedPasswordShowsNowhere(String mechanism) throws Exception {
        // looked up before the capture: Camel's own TRACE lines of an endpoint lookup quote its URI (see
        // LetterSmtpPasswordLoggingTest for the forms that keep the password out of those)
        LetterSmtpEndpoint endpoint = context.getEndpoint(uri(mechanism), LetterSmtpEndpoint.class);
        HealthCheck check = check(endpoint);
        try (LogCapture logs = LogCapture.start(Level.TRACE)) {
            Exchange out = template.send("direct:" + mechanism, e -> e.getIn().setBody(
                    Letter.from("robot@t.test").to("bob@t.test").subject("s").text("hello").build()));
            LetterSendException sent = assertInstanceOf(LetterSendException.class, out.getException());
            String sendChain = chain(sent);
            assertTrue(sendChain.contains("malformed SMTP reply line"), sendChain);
            assertTrue(sendChain.contains("5x5 bad password ****"), "the cause is kept, masked:\n" + sendChain);
            assertNoPassword("the send's exception chain", sendChain);
            assertNoPassword("the results", String.valueOf(sent.getResults()));
            for (Object r : sent.getResults()) {
                assertNoPassword("a result", r.toString());
            }
            assertNoPassword("the message", String.valueOf(out.getMessage().getBody()) + out.getMessage().getHeaders());

            SmtpAuthException verified = assertThrows(SmtpAuthException.class,
                    () -> endpoint.client().verify(endpoint.connectionParameters()));
            String verifyChain = chain(verified);
            assertTrue(verifyChain.contains("5x5 bad password ****"), verifyChain);
            assertNoPassword("verify()'s exception chain", verifyChain);

            HealthCheck.Result r = check.call();
            assertEquals(HealthCheck.State.DOWN, r.getState());
            StringBuilder health = new StringBuilder(r.getMessage().orElse(""));
            for (Map.Entry<String, Object> d : r.getDetails().entrySet()) {
                health.append(' ').append(d.getKey()).append('=').append(d.getValue());
            }
            r.getError().ifPresent(t -> health.append('\n').append(chain(t)));
            assertTrue(health.toString().contains("malformed SMTP reply line"), health.toString());
            assertNoPassword("the health check result", health.toString());

            assertTrue(logs.lines().size() > 10, "captured " + logs.lines().size() + " log events");
            assertTrue(logs.text().contains("AUTH " + mechanism), logs.text());
            assertNoPassword("the log", logs.text());
        }
    }
}
